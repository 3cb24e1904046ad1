internal import CAllocatorTuning

/// Settings of the C allocator for runs that allocate and free the same working set over and
/// over, as a batch of thousands of small files does.
enum AllocatorTuning {
    /// Keeps freed memory in the process rather than handing the top of a heap back to the
    /// kernel as soon as 128 KiB of it is free (glibc's default): a worker thread's heap then
    /// shrank after a file and grew again on the next one, an `mprotect` and fresh page faults
    /// each time (1,001 `mprotect` calls on the 1,580 files of the convert benchmark, ~50 with
    /// this). Peak memory is the same; what is kept is reused by the next file.
    static func apply() {
        verso_keep_freed_memory()
    }
}
