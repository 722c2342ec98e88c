//! Graph analytics on the projection, ignoring edge direction (a funding
//! links funder and recipient whichever way it is written): shortest paths
//! with each hop's relations and their direction, neighbourhoods, centrality
//! (degree, PageRank, betweenness) and connected components.

use super::projection::{distances_from, Projection};
use petgraph::graph::NodeIndex;
use petgraph::visit::EdgeRef;
use petgraph::Direction;
use serde::Serialize;
use std::collections::{BTreeSet, VecDeque};

/// One relation between two consecutive nodes, as read from the first.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct HopRelation {
    /// The relation's label in the chosen language, with a funding's amount.
    pub label: String,
    /// Its prefixed name.
    pub relation: String,
    /// "forward" (from → to), "backward" (to → from) or "both" (symmetric).
    pub direction: &'static str,
}

/// A node as printed: its id, label and main class.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct NodeRef {
    pub id: String,
    pub label: String,
    pub class: String,
}

/// One step of a path: the relations from the previous node, and the node.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Hop {
    pub relations: Vec<HopRelation>,
    pub node: NodeRef,
}

/// A path: where it starts, and its hops.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Path {
    pub start: NodeRef,
    pub hops: Vec<Hop>,
}

/// The shortest paths between two nodes.
#[derive(Clone, Debug, Serialize)]
pub struct Paths {
    pub from: NodeRef,
    pub to: NodeRef,
    /// Number of hops, or None when the nodes are not connected.
    pub length: Option<usize>,
    /// How many shortest paths there are in all.
    pub count: u128,
    /// The first of them (by the ids of their nodes).
    pub paths: Vec<Path>,
}

/// A node of a neighbourhood.
#[derive(Clone, Debug, Serialize)]
pub struct Neighbour {
    pub distance: usize,
    /// The node it is reached from (one hop closer), and how.
    pub via: NodeRef,
    pub relations: Vec<HopRelation>,
    pub node: NodeRef,
}

/// A score per node.
#[derive(Clone, Debug, Serialize)]
pub struct Ranked {
    pub rank: usize,
    pub score: f64,
    pub node: NodeRef,
}

/// Undirected adjacency: distinct neighbours of each node, in id order.
fn adjacency(p: &Projection) -> Vec<Vec<usize>> {
    let g = &p.graph;
    let mut adj: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); g.node_count()];
    for e in g.edge_references() {
        let (s, t) = (e.source().index(), e.target().index());
        if s != t {
            adj[s].insert(t);
            adj[t].insert(s);
        }
    }
    adj.into_iter().map(|s| s.into_iter().collect()).collect()
}

/// How a node is shown in results.
pub fn node_ref(p: &Projection, i: NodeIndex) -> NodeRef {
    let n = &p.graph[i];
    let class = super::style::styled_class(&n.classes, &p.vocab)
        .or_else(|| n.classes.first().cloned())
        .map(|c| p.vocab.label(&c, &p.lang))
        .unwrap_or_default();
    NodeRef {
        id: n.id.clone(),
        label: n.label.clone(),
        class,
    }
}

/// The relations between `from` and `to`, as read from `from`.
pub fn relations_between(p: &Projection, from: NodeIndex, to: NodeIndex) -> Vec<HopRelation> {
    let g = &p.graph;
    let mut out = Vec::new();
    for (direction, name) in [
        (Direction::Outgoing, "forward"),
        (Direction::Incoming, "backward"),
    ] {
        for e in g.edges_directed(from, direction) {
            let other = if direction == Direction::Outgoing {
                e.target()
            } else {
                e.source()
            };
            if other != to {
                continue;
            }
            out.push(HopRelation {
                label: e.weight().label.to_string(),
                relation: super::projection::node_id(&e.weight().relation),
                direction: if e.weight().undirected { "both" } else { name },
            });
        }
    }
    out.sort();
    out.dedup();
    out
}

/// All shortest paths from `a` to `b` ignoring direction (the first `limit`
/// in the order of their nodes' ids), and how many there are.
pub fn shortest_paths(p: &Projection, a: NodeIndex, b: NodeIndex, limit: usize) -> Paths {
    let adj = adjacency(p);
    let n = adj.len();
    let bfs = |start: usize| {
        let mut dist = vec![usize::MAX; n];
        dist[start] = 0;
        let mut queue = VecDeque::from([start]);
        while let Some(u) = queue.pop_front() {
            for &v in &adj[u] {
                if dist[v] == usize::MAX {
                    dist[v] = dist[u] + 1;
                    queue.push_back(v);
                }
            }
        }
        dist
    };
    let (from_a, from_b) = (bfs(a.index()), bfs(b.index()));
    let length = (from_a[b.index()] != usize::MAX).then_some(from_a[b.index()]);
    let mut result = Paths {
        from: node_ref(p, a),
        to: node_ref(p, b),
        length,
        count: 0,
        paths: Vec::new(),
    };
    let Some(length) = length else { return result };
    let on_path = |v: usize| {
        from_a[v] != usize::MAX && from_b[v] != usize::MAX && from_a[v] + from_b[v] == length
    };
    // Number of shortest paths, by distance from a.
    let mut order: Vec<usize> = (0..n).filter(|&v| on_path(v)).collect();
    order.sort_by_key(|&v| from_a[v]);
    let mut count = vec![0u128; n];
    count[a.index()] = 1;
    for &u in &order {
        for &v in &adj[u] {
            if on_path(v) && from_a[v] == from_a[u] + 1 {
                count[v] = count[v].saturating_add(count[u]);
            }
        }
    }
    result.count = count[b.index()];
    // The first `limit` paths, depth first in id order.
    let mut stack: Vec<Vec<usize>> = vec![vec![a.index()]];
    let mut found = Vec::new();
    while let Some(path) = stack.pop() {
        if found.len() >= limit {
            break;
        }
        let u = *path.last().unwrap_or(&a.index());
        if u == b.index() {
            found.push(path);
            continue;
        }
        for &v in adj[u].iter().rev() {
            if on_path(v) && from_a[v] == from_a[u] + 1 {
                let mut next = path.clone();
                next.push(v);
                stack.push(next);
            }
        }
    }
    result.paths = found
        .into_iter()
        .map(|nodes| Path {
            start: node_ref(p, a),
            hops: nodes
                .windows(2)
                .map(|w| Hop {
                    relations: relations_between(p, NodeIndex::new(w[0]), NodeIndex::new(w[1])),
                    node: node_ref(p, NodeIndex::new(w[1])),
                })
                .collect(),
        })
        .collect();
    result
}

/// The nodes within `depth` hops of `x`, nearest first, each with the node
/// one hop closer it is reached from (the first by id) and the relations.
pub fn neighbours(p: &Projection, x: NodeIndex, depth: usize) -> Vec<Neighbour> {
    let g = &p.graph;
    let dist = distances_from(g, x, Some(depth));
    let mut out = Vec::new();
    for (&v, &d) in &dist {
        if v == x {
            continue;
        }
        let via = g
            .neighbors_undirected(v)
            .filter(|u| dist.get(u) == Some(&(d - 1)))
            .min_by_key(|u| u.index())
            .expect("a node at distance d has a neighbour at d - 1");
        out.push(Neighbour {
            distance: d,
            via: node_ref(p, via),
            relations: relations_between(p, via, v),
            node: node_ref(p, v),
        });
    }
    out.sort_by(|a, b| {
        (
            a.distance,
            &a.via.id,
            &a.relations,
            &a.node.label,
            &a.node.id,
        )
            .cmp(&(
                b.distance,
                &b.via.id,
                &b.relations,
                &b.node.label,
                &b.node.id,
            ))
    });
    out
}

/// Number of distinct neighbours of each node.
pub fn degree(p: &Projection) -> Vec<f64> {
    adjacency(p).iter().map(|a| a.len() as f64).collect()
}

/// PageRank on the undirected graph (each edge counts both ways), damping
/// 0.85, iterated until the scores move by less than 1e-12 in all (at most
/// 200 rounds); isolated nodes spread their score over every node.
pub fn pagerank(p: &Projection) -> Vec<f64> {
    pagerank_of(&adjacency(p), 0.85)
}

fn pagerank_of(adj: &[Vec<usize>], damping: f64) -> Vec<f64> {
    let n = adj.len();
    if n == 0 {
        return Vec::new();
    }
    let mut rank = vec![1.0 / n as f64; n];
    for _ in 0..200 {
        let dangling: f64 = (0..n).filter(|&u| adj[u].is_empty()).map(|u| rank[u]).sum();
        let base = (1.0 - damping) / n as f64 + damping * dangling / n as f64;
        let mut next = vec![base; n];
        for u in 0..n {
            if !adj[u].is_empty() {
                let share = damping * rank[u] / adj[u].len() as f64;
                for &v in &adj[u] {
                    next[v] += share;
                }
            }
        }
        let delta: f64 = next.iter().zip(&rank).map(|(a, b)| (a - b).abs()).sum();
        rank = next;
        if delta < 1e-12 {
            break;
        }
    }
    rank
}

/// Betweenness centrality (Brandes' algorithm, undirected, unnormalised:
/// the number of shortest paths between other pairs that go through each
/// node, shared when there are several). O(nodes × edges).
pub fn betweenness(p: &Projection) -> Vec<f64> {
    betweenness_of(&adjacency(p))
}

fn betweenness_of(adj: &[Vec<usize>]) -> Vec<f64> {
    let n = adj.len();
    let mut centrality = vec![0.0; n];
    let mut sigma = vec![0f64; n];
    let mut dist = vec![usize::MAX; n];
    let mut delta = vec![0.0; n];
    let mut preds: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut stack = Vec::with_capacity(n);
    let mut queue = VecDeque::new();
    for s in 0..n {
        for v in 0..n {
            sigma[v] = 0.0;
            dist[v] = usize::MAX;
            delta[v] = 0.0;
            preds[v].clear();
        }
        sigma[s] = 1.0;
        dist[s] = 0;
        queue.push_back(s);
        while let Some(v) = queue.pop_front() {
            stack.push(v);
            for &w in &adj[v] {
                if dist[w] == usize::MAX {
                    dist[w] = dist[v] + 1;
                    queue.push_back(w);
                }
                if dist[w] == dist[v] + 1 {
                    sigma[w] += sigma[v];
                    preds[w].push(v);
                }
            }
        }
        while let Some(w) = stack.pop() {
            for &v in &preds[w] {
                delta[v] += sigma[v] / sigma[w] * (1.0 + delta[w]);
            }
            if w != s {
                centrality[w] += delta[w];
            }
        }
    }
    centrality.iter().map(|c| c / 2.0).collect()
}

/// The `top` nodes by score, highest first (ties by id).
pub fn top(p: &Projection, scores: &[f64], top: usize) -> Vec<Ranked> {
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_by(|&a, &b| {
        scores[b]
            .partial_cmp(&scores[a])
            .unwrap_or(std::cmp::Ordering::Equal)
            .then(a.cmp(&b))
    });
    order
        .into_iter()
        .take(top)
        .enumerate()
        .map(|(rank, i)| Ranked {
            rank: rank + 1,
            score: scores[i],
            node: node_ref(p, NodeIndex::new(i)),
        })
        .collect()
}

/// Connected components ignoring direction, largest first (ties by their
/// first id); members in id order.
pub fn components(p: &Projection) -> Vec<Vec<NodeRef>> {
    let adj = adjacency(p);
    let mut seen = vec![false; adj.len()];
    let mut out = Vec::new();
    for s in 0..adj.len() {
        if seen[s] {
            continue;
        }
        seen[s] = true;
        let mut members = vec![s];
        let mut queue = VecDeque::from([s]);
        while let Some(u) = queue.pop_front() {
            for &v in &adj[u] {
                if !seen[v] {
                    seen[v] = true;
                    members.push(v);
                    queue.push_back(v);
                }
            }
        }
        members.sort();
        out.push(members);
    }
    out.sort_by(|a, b| b.len().cmp(&a.len()).then(a[0].cmp(&b[0])));
    out.into_iter()
        .map(|m| {
            m.into_iter()
                .map(|i| node_ref(p, NodeIndex::new(i)))
                .collect()
        })
        .collect()
}

fn arrow(r: &HopRelation) -> String {
    match r.direction {
        "forward" => format!("─{}→", r.label),
        "backward" => format!("←{}─", r.label),
        _ => format!("─{}─", r.label),
    }
}

fn show(n: &NodeRef) -> String {
    if n.class.is_empty() {
        format!("{} [{}]", n.label, n.id)
    } else {
        format!("{} [{}] ({})", n.label, n.id, n.class)
    }
}

/// `aikg path` as text.
pub fn paths_to_text(paths: &Paths) -> String {
    let mut out = String::new();
    let Some(length) = paths.length else {
        return format!(
            "{} and {} are not connected (ignoring direction)\n",
            show(&paths.from),
            show(&paths.to)
        );
    };
    out.push_str(&format!(
        "{} → {}: {} hop{}, {} shortest path{} (ignoring direction)\n",
        paths.from.label,
        paths.to.label,
        length,
        if length == 1 { "" } else { "s" },
        paths.count,
        if paths.count == 1 { "" } else { "s" }
    ));
    for (i, path) in paths.paths.iter().enumerate() {
        out.push_str(&format!("\n{}. {}\n", i + 1, show(&path.start)));
        for hop in &path.hops {
            let arrows: Vec<String> = hop.relations.iter().map(arrow).collect();
            out.push_str(&format!(
                "     {} {}\n",
                arrows.join(" / "),
                show(&hop.node)
            ));
        }
    }
    if (paths.paths.len() as u128) < paths.count {
        out.push_str(&format!(
            "\n… and {} more (raise --limit to see them)\n",
            paths.count - paths.paths.len() as u128
        ));
    }
    out
}

/// `aikg neighbors` as text.
pub fn neighbours_to_text(center: &NodeRef, depth: usize, list: &[Neighbour]) -> String {
    let mut out = format!(
        "{}: {} entit{} within {} hop{}\n",
        show(center),
        list.len(),
        if list.len() == 1 { "y" } else { "ies" },
        depth,
        if depth == 1 { "" } else { "s" }
    );
    for n in list {
        let arrows: Vec<String> = n.relations.iter().map(arrow).collect();
        let via = if n.distance > 1 {
            format!("{} ", n.via.label)
        } else {
            String::new()
        };
        out.push_str(&format!(
            "{}  {via}{} {}\n",
            n.distance,
            arrows.join(" / "),
            show(&n.node)
        ));
    }
    out
}

/// `aikg rank` as text.
pub fn ranking_to_text(by: &str, total: usize, ranked: &[Ranked]) -> String {
    let mut out = format!("top {} of {} entities by {by}\n", ranked.len(), total);
    let width = ranked
        .iter()
        .map(|r| format_score(r.score).len())
        .max()
        .unwrap_or(5);
    for r in ranked {
        out.push_str(&format!(
            "{:>4}  {:>width$}  {}\n",
            r.rank,
            format_score(r.score),
            show(&r.node)
        ));
    }
    out
}

fn format_score(score: f64) -> String {
    if score.fract() == 0.0 {
        format!("{score:.0}")
    } else if score < 1.0 {
        format!("{score:.5}")
    } else {
        format!("{score:.2}")
    }
}

/// `aikg components` as text: sizes, and the members of each (the first
/// `show_members`).
pub fn components_to_text(components: &[Vec<NodeRef>], show_members: usize) -> String {
    let nodes: usize = components.iter().map(Vec::len).sum();
    let mut out = format!(
        "{} connected component{} (ignoring direction), {} entities\n",
        components.len(),
        if components.len() == 1 { "" } else { "s" },
        nodes
    );
    for (i, c) in components.iter().enumerate() {
        let mut names: Vec<&NodeRef> = c.iter().collect();
        names.sort_by(|a, b| (&a.label, &a.id).cmp(&(&b.label, &b.id)));
        let shown: Vec<String> = names
            .iter()
            .take(show_members)
            .map(|n| format!("{} [{}]", n.label, n.id))
            .collect();
        let more = if c.len() > show_members {
            format!(", … and {} more", c.len() - show_members)
        } else {
            String::new()
        };
        out.push_str(&format!(
            "\n{}. {} entit{}: {}{more}\n",
            i + 1,
            c.len(),
            if c.len() == 1 { "y" } else { "ies" },
            shown.join(", ")
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn undirected(n: usize, edges: &[(usize, usize)]) -> Vec<Vec<usize>> {
        let mut adj = vec![Vec::new(); n];
        for &(a, b) in edges {
            adj[a].push(b);
            adj[b].push(a);
        }
        for a in &mut adj {
            a.sort();
        }
        adj
    }

    #[test]
    fn betweenness_of_a_path_and_a_star() {
        // a - b - c - d: b and c each lie on the shortest paths of 2 pairs.
        let path = betweenness_of(&undirected(4, &[(0, 1), (1, 2), (2, 3)]));
        assert_eq!(path, vec![0.0, 2.0, 2.0, 0.0]);
        // A star's centre lies on every path between two of its 4 leaves: C(4,2) = 6.
        let star = betweenness_of(&undirected(5, &[(0, 1), (0, 2), (0, 3), (0, 4)]));
        assert_eq!(star, vec![6.0, 0.0, 0.0, 0.0, 0.0]);
        // A 4-cycle: each node is on half of the two paths between its neighbours.
        let cycle = betweenness_of(&undirected(4, &[(0, 1), (1, 2), (2, 3), (3, 0)]));
        assert_eq!(cycle, vec![0.5; 4]);
    }

    #[test]
    fn pagerank_solves_its_equations() {
        // A star of k leaves: the centre c and each leaf l satisfy
        // c = (1-d)/n + d·k·l and l = (1-d)/n + d·c/k (n = k+1); substituting
        // c in l gives l = ((1-d)/n + d/k·(1-d)/n) / (1 - d²).
        let (k, d) = (4.0, 0.85);
        let n = k + 1.0;
        let base = (1.0 - d) / n;
        let leaf = (base + d / k * base) / (1.0 - d * d);
        let centre = base + d * k * leaf;
        let star = pagerank_of(&undirected(5, &[(0, 1), (0, 2), (0, 3), (0, 4)]), d);
        assert!(
            (star[0] - centre).abs() < 1e-9 && (star[1] - leaf).abs() < 1e-9,
            "{star:?}"
        );
        // Any graph: the scores are the fixed point of the definition, and sum to 1.
        let adj = undirected(
            6,
            &[
                (0, 1),
                (1, 2),
                (2, 0),
                (2, 3),
                (3, 4),
                (4, 5),
                (5, 3),
                (1, 4),
            ],
        );
        let rank = pagerank_of(&adj, d);
        for v in 0..6 {
            let incoming: f64 = adj[v].iter().map(|&u| rank[u] / adj[u].len() as f64).sum();
            assert!((rank[v] - ((1.0 - d) / 6.0 + d * incoming)).abs() < 1e-9);
        }
        assert!((rank.iter().sum::<f64>() - 1.0).abs() < 1e-9);
        // An isolated node gets only the teleport share and what the others leave it.
        let with_isolated = pagerank_of(&undirected(3, &[(0, 1)]), d);
        assert!(with_isolated[2] < with_isolated[0]);
        assert!((with_isolated.iter().sum::<f64>() - 1.0).abs() < 1e-9);
    }
}
