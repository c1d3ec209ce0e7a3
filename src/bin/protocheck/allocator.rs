//! The command's allocator: mimalloc, tuned for a check's phases.

/// The command allocates and frees a great many small strings and vectors
/// (descriptors, the model, findings): mimalloc does that in a fraction of
/// the system allocator's time.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `mi_option_purge_delay`, which libmimalloc-sys does not name:
/// in version 2's `mimalloc.h` it is the option after `eager_commit_delay`.
const PURGE_DELAY: libmimalloc_sys::mi_option_t = libmimalloc_sys::mi_option_eager_commit_delay + 1;

/// Freed memory goes back to the system 250 ms after it is freed, not 10: a
/// large check frees and takes hundreds of MB phase after phase, and at
/// 10 ms the kernel handed back as new pages much of what had just been
/// returned (40,000 findings: 425,000 page faults, a third of the time). The
/// peak grows by a few MB. Called first thing in `main`.
pub fn tune() {
    // SAFETY: no other thread exists yet, and the option is a number that
    // mimalloc reads when it purges.
    unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, 250) };
}
