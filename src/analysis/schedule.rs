//! Largest-first scheduling of per-file work on the worker pool.
//!
//! Rayon's `par_iter` splits the files in path order: a large module met late
//! (a 100 KB model file at the end of the tree) is then analysed alone while
//! the other workers wait. Here every worker takes the largest file not yet
//! started from one shared queue (the LPT rule), so the last files to finish
//! are small ones and no worker idles for long at the end of a pass.

use std::sync::atomic::{AtomicUsize, Ordering};

use super::discovery::DiscoveredFile;
use super::engine::Overlay;

/// A file's size: the overlay's length when it holds the file, else its
/// length on disk (0 when it cannot be read: the analysis reports why).
pub(crate) fn file_size(file: &DiscoveredFile, overlay: &Overlay) -> u64 {
    match overlay.get(&file.path) {
        Some(bytes) => bytes.len() as u64,
        None => std::fs::metadata(&file.path).map_or(0, |m| m.len()),
    }
}

/// Runs `work` on every item on `pool`, largest `weights` first, and returns
/// the results in the order of the items.
pub(crate) fn largest_first<T, F>(pool: &rayon::ThreadPool, weights: &[u64], work: F) -> Vec<T>
where
    T: Send,
    F: Fn(usize) -> T + Sync,
{
    let mut order: Vec<usize> = (0..weights.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(weights[i]));
    let next = AtomicUsize::new(0);
    let done: Vec<Vec<(usize, T)>> = pool.broadcast(|_| {
        let mut done = Vec::new();
        loop {
            let taken = next.fetch_add(1, Ordering::Relaxed);
            let Some(&item) = order.get(taken) else {
                return done;
            };
            done.push((item, work(item)));
        }
    });
    let mut slots: Vec<Option<T>> = std::iter::repeat_with(|| None)
        .take(weights.len())
        .collect();
    for (item, result) in done.into_iter().flatten() {
        slots[item] = Some(result);
    }
    slots
        .into_iter()
        .map(|slot| slot.expect("every item is taken by one worker"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_item_once_in_item_order() {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(3)
            .build()
            .unwrap();
        let weights = [5, 90, 1, 1, 40, 0, 7];
        let calls = AtomicUsize::new(0);
        let results = largest_first(&pool, &weights, |i| {
            calls.fetch_add(1, Ordering::Relaxed);
            i * 10
        });
        assert_eq!(results, [0, 10, 20, 30, 40, 50, 60]);
        assert_eq!(calls.load(Ordering::Relaxed), weights.len());
        assert!(largest_first(&pool, &[], |i| i).is_empty());
    }

    #[test]
    fn one_worker_takes_the_largest_first() {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .unwrap();
        let taken = std::sync::Mutex::new(Vec::new());
        largest_first(&pool, &[3, 30, 10, 30], |i| taken.lock().unwrap().push(i));
        assert_eq!(*taken.lock().unwrap(), [1, 3, 2, 0]);
    }
}
