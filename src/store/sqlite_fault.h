/* sqlite_fault.h - the test-only SQLite VFS that simulates a full disk or a
 * failing device (core/fault.h's switch). Only src/store/sqlite*.c include
 * it. */
#ifndef HEARTH_STORE_SQLITE_FAULT_H
#define HEARTH_STORE_SQLITE_FAULT_H

/* The name of the fault VFS to open databases with, registered on first
 * call; NULL (use the default VFS) unless the test switch is configured. */
const char *sqlite_fault_vfs(void);

#endif
