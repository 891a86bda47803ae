//! The crash-recovery writer: a worker thread that writes `FILE.recovery` so that a key is
//! never kept waiting behind one (issue 14: at 10,000 alliances a write takes about a second).
//!
//! Each write is handed a snapshot of the portfolio: a clone, which shares the alliances with
//! the document (see [`crate::model::Alliances`]) and so costs a list of pointers, not a copy
//! of the model. An edit made while the write runs copies the one alliance it changes, so the
//! snapshot stays as it was when the write was asked for; edits made meanwhile go to the next
//! write. The worker keeps nothing between writes (it used to keep a whole copy of the
//! portfolio: the model twice in memory; issue 14). Its outcome comes back to the main loop,
//! which feeds it through `App::apply`.

use std::path::PathBuf;
use std::sync::mpsc::{self, Receiver, Sender, TryRecvError};
use std::thread::JoinHandle;

use crate::model::Portfolio;
use crate::store;

/// One request to the worker, carried out in order.
enum Job {
    /// Write `snapshot` as the recovery file, or remove the file (`None`: nothing unsaved).
    Write {
        path: PathBuf,
        snapshot: Option<Portfolio>,
    },
}

/// The handle the main loop keeps; dropping it lets the worker finish its queue and stop.
pub struct RecoveryWriter {
    jobs: Option<Sender<Job>>,
    outcomes: Receiver<Result<(), String>>,
    worker: Option<JoinHandle<()>>,
    /// Writes asked for and not yet reported back.
    in_flight: usize,
    /// A write fell due while one was in flight: ask for it when that one is done, so the
    /// edits in between are written too (never more than one write queued).
    pending: bool,
}

impl std::fmt::Debug for RecoveryWriter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RecoveryWriter")
            .field("in_flight", &self.in_flight)
            .field("pending", &self.pending)
            .finish_non_exhaustive()
    }
}

impl RecoveryWriter {
    /// Start a worker.
    pub fn start() -> Self {
        let (jobs, inbox) = mpsc::channel::<Job>();
        let (report, outcomes) = mpsc::channel();
        let worker = std::thread::Builder::new()
            .name("recovery".to_owned())
            .spawn(move || {
                // Background work: on a busy machine the keys' thread goes first. Failing
                // to lower the priority only costs that.
                let _ = rustix::process::setpriority_process(Some(rustix::thread::gettid()), 19);
                for job in inbox {
                    let Job::Write { path, snapshot } = job;
                    let outcome = if let Some(portfolio) = snapshot {
                        store::write_recovery(&path, &portfolio).map_err(|e| e.to_string())
                    } else {
                        store::remove_recovery(&path).map_err(|e| e.to_string())
                    };
                    if report.send(outcome).is_err() {
                        return;
                    }
                }
            })
            .ok();
        Self {
            jobs: worker.is_some().then_some(jobs),
            outcomes,
            worker,
            in_flight: 0,
            pending: false,
        }
    }

    /// Whether the worker could be started (threads can run out).
    pub fn is_running(&self) -> bool {
        self.jobs.is_some()
    }

    /// Whether a write is in flight (the loop then wakes to collect its outcome).
    pub fn busy(&self) -> bool {
        self.in_flight > 0
    }

    /// Ask for `snapshot` to be written (`None`: the recovery file removed), after any write
    /// in flight. Returns `false` when the worker is gone (the caller then writes on this
    /// thread).
    pub fn request(&mut self, path: PathBuf, snapshot: Option<Portfolio>) -> bool {
        let Some(jobs) = &self.jobs else {
            return false;
        };
        if jobs.send(Job::Write { path, snapshot }).is_err() {
            self.jobs = None;
            return false;
        }
        self.in_flight += 1;
        true
    }

    /// Note that a write fell due while one was in flight.
    pub fn defer(&mut self) {
        self.pending = true;
    }

    /// Whether a deferred write should be asked for now (and clears it).
    pub fn take_deferred(&mut self) -> bool {
        !self.busy() && std::mem::take(&mut self.pending)
    }

    /// The outcomes of finished writes, without waiting.
    pub fn finished(&mut self) -> Vec<Result<(), String>> {
        let mut done = Vec::new();
        while self.in_flight > 0 {
            match self.outcomes.try_recv() {
                Ok(outcome) => {
                    self.in_flight -= 1;
                    done.push(outcome);
                }
                Err(TryRecvError::Empty) => break,
                Err(TryRecvError::Disconnected) => {
                    self.lost();
                    break;
                }
            }
        }
        done
    }

    /// Wait for every write in flight (before a save or a quit touches the recovery file, so
    /// that a late write cannot bring back a file just removed).
    pub fn wait(&mut self) -> Vec<Result<(), String>> {
        let mut done = Vec::new();
        while self.in_flight > 0 {
            if let Ok(outcome) = self.outcomes.recv() {
                self.in_flight -= 1;
                done.push(outcome);
            } else {
                self.lost();
                break;
            }
        }
        done
    }

    /// The worker stopped (it panicked): report it as a failed write, so the header says the
    /// edits are not protected, and let the caller start another.
    fn lost(&mut self) {
        self.in_flight = 0;
        self.jobs = None;
    }
}

impl Drop for RecoveryWriter {
    fn drop(&mut self) {
        // Closing the queue ends the worker's loop once it has written what was asked.
        self.jobs = None;
        if let Some(worker) = self.worker.take() {
            let _ = worker.join();
        }
    }
}
