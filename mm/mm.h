/*
 * mm/mm.h - bringing up memory management, in order.
 */
#ifndef MM_MM_H
#define MM_MM_H

/* Called once by kmain: memory map, frame allocator, (later) paging and
 * the kernel heap. */
void mm_init(void);

#endif
