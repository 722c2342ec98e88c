//! Answers kept for the next identical request. The graph changes only
//! through the server's own writes, and every write empties the cache, so a
//! kept answer is the answer the store would give now. Bounded in bytes;
//! the oldest entries go first.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};

/// A complete 200 answer.
pub struct Cached {
    pub content_type: &'static str,
    pub body: Arc<[u8]>,
    pub rows: u64,
}

pub struct Cache {
    inner: Mutex<Inner>,
    max_bytes: usize,
    /// Larger answers are not kept.
    pub max_entry: usize,
}

#[derive(Default)]
struct Inner {
    generation: u64,
    entries: HashMap<String, Arc<Cached>>,
    order: VecDeque<String>,
    bytes: usize,
}

impl Cache {
    /// A cache of at most `max_bytes` (0: nothing is kept).
    pub fn new(max_bytes: usize) -> Self {
        Self {
            inner: Mutex::new(Inner::default()),
            max_bytes,
            max_entry: (max_bytes / 16).min(4 << 20),
        }
    }

    pub fn enabled(&self) -> bool {
        self.max_bytes > 0
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn get(&self, key: &str) -> Option<Arc<Cached>> {
        if !self.enabled() {
            return None;
        }
        self.lock().entries.get(key).cloned()
    }

    /// The current generation: an answer computed from it may be kept only
    /// if no write came in between ([`Cache::insert`] checks).
    pub fn generation(&self) -> u64 {
        self.lock().generation
    }

    pub fn insert(&self, key: String, generation: u64, cached: Cached) {
        if !self.enabled() || cached.body.len() > self.max_entry {
            return;
        }
        let mut inner = self.lock();
        if inner.generation != generation || inner.entries.contains_key(&key) {
            return;
        }
        inner.bytes += cached.body.len() + key.len();
        inner.order.push_back(key.clone());
        inner.entries.insert(key, Arc::new(cached));
        while inner.bytes > self.max_bytes {
            let Some(oldest) = inner.order.pop_front() else {
                break;
            };
            if let Some(gone) = inner.entries.remove(&oldest) {
                inner.bytes -= gone.body.len() + oldest.len();
            }
        }
    }

    /// Forgets everything (after a write).
    pub fn invalidate(&self) {
        let mut inner = self.lock();
        inner.generation += 1;
        inner.entries.clear();
        inner.order.clear();
        inner.bytes = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(bytes: usize) -> Cached {
        Cached {
            content_type: "text/csv",
            body: vec![b'x'; bytes].into(),
            rows: 1,
        }
    }

    #[test]
    fn a_write_in_between_keeps_the_answer_out() {
        let cache = Cache::new(1 << 20);
        let generation = cache.generation();
        cache.invalidate();
        cache.insert("q".into(), generation, answer(10));
        assert!(cache.get("q").is_none());
        cache.insert("q".into(), cache.generation(), answer(10));
        assert!(cache.get("q").is_some());
        cache.invalidate();
        assert!(cache.get("q").is_none());
    }

    #[test]
    fn oldest_go_first_past_the_bound() {
        let cache = Cache::new(16 * 100);
        for i in 0..40 {
            cache.insert(format!("k{i:02}"), 0, answer(90));
        }
        assert!(cache.get("k00").is_none());
        assert!(cache.get("k39").is_some());
        assert!(cache.lock().bytes <= 1600);
    }
}
