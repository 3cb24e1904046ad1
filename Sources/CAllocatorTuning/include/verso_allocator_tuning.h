#ifndef VERSO_ALLOCATOR_TUNING_H
#define VERSO_ALLOCATOR_TUNING_H

/// Asks the C allocator to keep freed memory for reuse instead of returning the top of each
/// heap to the kernel as soon as a little of it is free (glibc; does nothing elsewhere).
void verso_keep_freed_memory(void);

#endif
