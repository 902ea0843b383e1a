//! Work on a list of items spread over threads, with the results handed over in the list's
//! order and never more than a few of them waiting.

use std::sync::mpsc::{self, Receiver};

/// Results a thread may have made ahead of the one the caller waits for.
const AHEAD: usize = 4;

/// Gives `sink` the result of `work` on each item, in the items' order, computed on `threads`
/// threads (on the calling thread if one).
///
/// Items are dealt round-robin, so the caller knows which thread makes the next result; each
/// thread waits once it is [`AHEAD`] results ahead. A thread that panics ends the handing over
/// (the others' sends fail and they stop), and the panic reaches the caller.
pub fn in_order<T: Sync, R: Send>(
    items: &[T],
    threads: usize,
    work: impl Fn(&T) -> R + Sync,
    mut sink: impl FnMut(R),
) {
    let threads = threads.clamp(1, items.len().max(1));
    if threads == 1 {
        for item in items {
            sink(work(item));
        }
        return;
    }
    std::thread::scope(|scope| {
        let work = &work;
        let receivers: Vec<Receiver<R>> = (0..threads)
            .map(|first| {
                let (results, receiver) = mpsc::sync_channel(AHEAD);
                scope.spawn(move || {
                    for item in items.iter().skip(first).step_by(threads) {
                        if results.send(work(item)).is_err() {
                            break;
                        }
                    }
                });
                receiver
            })
            .collect();
        for turn in receivers.iter().cycle().take(items.len()) {
            match turn.recv() {
                Ok(result) => sink(result),
                Err(_) => break,
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_in_item_order_whatever_the_threads() {
        let items: Vec<u64> = (0..100).collect();
        for threads in [0, 1, 2, 3, 7, 200] {
            let mut seen = Vec::new();
            // Uneven work, so that threads finish out of order.
            let work = |&n: &u64| {
                std::thread::sleep(std::time::Duration::from_micros((n * 7919) % 300));
                n * n
            };
            in_order(&items, threads, work, |r| seen.push(r));
            let expected: Vec<u64> = items.iter().map(|n| n * n).collect();
            assert_eq!(seen, expected, "{threads} threads");
        }
    }

    #[test]
    fn no_items_no_results() {
        let mut seen = Vec::<u8>::new();
        in_order(&[] as &[u8], 4, |&b| b, |r| seen.push(r));
        assert!(seen.is_empty());
    }
}
