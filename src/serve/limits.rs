//! What protects the server: a bounded number of evaluations at once with a
//! bounded queue in front (503 + Retry-After beyond), and the size limits of
//! requests.

use std::sync::{Arc, Condvar, Mutex};
use std::time::Instant;

/// The server's limits (`aikg serve --help` documents each).
#[derive(Clone, Debug)]
pub struct Limits {
    /// Evaluations that run at once.
    pub max_concurrent: usize,
    /// Requests that may wait for an evaluation slot; more get a 503.
    pub queue: usize,
    /// Largest request body, in bytes (413 beyond).
    pub max_body: usize,
    /// Longest query string, in bytes (414 beyond).
    pub max_query_string: usize,
}

/// Evaluation slots: at most `max_concurrent` running, at most `queue` waiting.
pub struct Slots {
    state: Mutex<SlotState>,
    freed: Condvar,
    max_concurrent: usize,
    queue: usize,
}

#[derive(Default)]
struct SlotState {
    running: usize,
    waiting: usize,
}

/// Why no slot was given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Busy {
    /// The queue is full: come back later.
    QueueFull,
    /// The request waited until its deadline.
    WaitedTooLong,
}

/// A running evaluation's slot, given back when dropped.
pub struct Slot(Arc<Slots>);

impl Drop for Slot {
    fn drop(&mut self) {
        let mut state = self.0.state.lock().unwrap_or_else(|e| e.into_inner());
        state.running -= 1;
        drop(state);
        self.0.freed.notify_one();
    }
}

impl Slots {
    pub fn new(max_concurrent: usize, queue: usize) -> Arc<Self> {
        Arc::new(Self {
            state: Mutex::new(SlotState::default()),
            freed: Condvar::new(),
            max_concurrent: max_concurrent.max(1),
            queue,
        })
    }

    /// A slot now, or after waiting in the queue until `deadline`.
    pub fn acquire(self: &Arc<Self>, deadline: Instant) -> Result<Slot, Busy> {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        if state.running < self.max_concurrent && state.waiting == 0 {
            state.running += 1;
            return Ok(Slot(Arc::clone(self)));
        }
        if state.waiting >= self.queue {
            return Err(Busy::QueueFull);
        }
        state.waiting += 1;
        loop {
            let now = Instant::now();
            if state.running < self.max_concurrent {
                state.waiting -= 1;
                state.running += 1;
                return Ok(Slot(Arc::clone(self)));
            }
            if now >= deadline {
                state.waiting -= 1;
                return Err(Busy::WaitedTooLong);
            }
            state = self
                .freed
                .wait_timeout(state, deadline - now)
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
    }

    /// (running, waiting) now.
    pub fn load(&self) -> (usize, usize) {
        let state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        (state.running, state.waiting)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn slots_queue_then_refuse() {
        let slots = Slots::new(1, 1);
        let soon = || Instant::now() + Duration::from_millis(50);
        let first = slots.acquire(soon()).unwrap();
        // One may wait; it gives up at its deadline.
        assert_eq!(slots.acquire(soon()).err(), Some(Busy::WaitedTooLong));
        let waiter = {
            let slots = Arc::clone(&slots);
            std::thread::spawn(move || {
                slots
                    .acquire(Instant::now() + Duration::from_secs(5))
                    .map(drop)
            })
        };
        while slots.load().1 == 0 {
            std::thread::yield_now();
        }
        // The queue (1) is full now.
        assert_eq!(slots.acquire(soon()).err(), Some(Busy::QueueFull));
        drop(first);
        assert_eq!(waiter.join().unwrap(), Ok(()));
        assert_eq!(slots.load(), (0, 0));
    }
}
