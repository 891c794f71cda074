/*
 * kernel/multiboot.h - what the boot loader hands us (Multiboot spec
 * version 0.6.96, section 3.3 "Boot information format").
 *
 * All addresses inside are physical.  Fields are valid only when their bit
 * in FLAGS is set, which is why kmain checks the flags before using them.
 */
#ifndef KERNEL_MULTIBOOT_H
#define KERNEL_MULTIBOOT_H

#include "lib/types.h"

#define MULTIBOOT_BOOTLOADER_MAGIC 0x2BADB002

#define MB_INFO_MEMORY   (1u << 0)   /* mem_lower / mem_upper valid */
#define MB_INFO_CMDLINE  (1u << 2)   /* cmdline valid */
#define MB_INFO_MODS     (1u << 3)   /* mods_count / mods_addr valid */
#define MB_INFO_MMAP     (1u << 6)   /* mmap_length / mmap_addr valid */
#define MB_INFO_LOADER   (1u << 9)   /* boot_loader_name valid */

struct multiboot_info {
    uint32_t flags;
    uint32_t mem_lower, mem_upper;     /* KiB below 1 MiB, KiB above 1 MiB */
    uint32_t boot_device;
    uint32_t cmdline;
    uint32_t mods_count, mods_addr;
    uint32_t syms[4];
    uint32_t mmap_length, mmap_addr;
    uint32_t drives_length, drives_addr;
    uint32_t config_table;
    uint32_t boot_loader_name;
    uint32_t apm_table;
    uint32_t vbe_control_info, vbe_mode_info;
    uint16_t vbe_mode, vbe_interface_seg, vbe_interface_off, vbe_interface_len;
} __attribute__((packed));
_Static_assert(sizeof(struct multiboot_info) == 88, "multiboot_info layout (spec 3.3)");

/* One memory-map entry.  SIZE counts the bytes after itself, so the next
 * entry is at (char *)entry + size + 4; entries may be longer than this
 * struct in future loaders. */
struct multiboot_mmap_entry {
    uint32_t size;
    uint64_t addr;
    uint64_t len;
    uint32_t type;
} __attribute__((packed));
_Static_assert(sizeof(struct multiboot_mmap_entry) == 24, "mmap entry layout (spec 3.3)");

#define MB_MEMORY_AVAILABLE 1
#define MB_MEMORY_RESERVED  2
#define MB_MEMORY_ACPI      3   /* ACPI reclaimable */
#define MB_MEMORY_NVS       4
#define MB_MEMORY_BADRAM    5

struct multiboot_module {
    uint32_t mod_start, mod_end;   /* physical, end exclusive */
    uint32_t cmdline;
    uint32_t reserved;
} __attribute__((packed));
_Static_assert(sizeof(struct multiboot_module) == 16, "module layout (spec 3.3)");

/* Saved by kmain for the memory-map and module code: a kernel-virtual
 * pointer to the loader's information, validated against FLAGS. */
extern const struct multiboot_info *boot_info;

#endif
