/*
 * kernel/power.c - poweroff and reboot, on QEMU and on real PCs.
 *
 * poweroff first tries QEMU's isa-debug-exit port (so `poweroff 3` makes
 * QEMU exit with status 7), then the ACPI PM1a control port QEMU's PIIX4
 * exposes at 0x604 (SLP_EN, a clean "power button" exit), and finally
 * halts with interrupts off.  reboot pulses the CPU reset line through the
 * 8042 keyboard controller, the oldest reset path a PC has.
 */
#include "kernel/power.h"
#include "kernel/monitor.h"
#include "kernel/x86.h"
#include "lib/kprintf.h"
#include "lib/string.h"

#define ACPI_PM1A_CNT_QEMU 0x604
#define ACPI_SLP_EN        0x2000
#define KBC_COMMAND        0x64
#define KBC_STATUS         0x64
#define KBC_INPUT_FULL     0x02
#define KBC_PULSE_RESET    0xFE

static bool test_mode;

void power_set_test_mode(bool on)
{
    test_mode = on;
}

bool power_test_mode(void)
{
    return test_mode;
}

void qemu_exit(uint32_t status)
{
    outl(QEMU_DEBUG_EXIT_PORT, status);
}

NORETURN void poweroff(uint32_t status)
{
    cli();
    qemu_exit(status);
    outw(ACPI_PM1A_CNT_QEMU, ACPI_SLP_EN);
    for (;;)
        hlt();
}

NORETURN void reboot(void)
{
    cli();
    for (int i = 0; i < 100000 && (inb(KBC_STATUS) & KBC_INPUT_FULL); i++)
        ;
    outb(KBC_COMMAND, KBC_PULSE_RESET);
    for (;;)
        hlt();
}

static int cmd_poweroff(int argc, char **argv)
{
    unsigned long long status = 0;

    if (argc > 1 && (!parse_uint(argv[1], &status, false) || status > 0xFF)) {
        cprintf("poweroff: STATUS must be a number 0..255\n");
        return 1;
    }
    kprintf(KERN_INFO "reboot: Power down (status %u)\n", (unsigned)status);
    poweroff((uint32_t)status);
}
MONITOR_CMD(poweroff, "poweroff [STATUS]",
            "power off; under QEMU exit with (STATUS << 1) | 1", cmd_poweroff);

static int cmd_reboot(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    kprintf(KERN_INFO "reboot: Restarting system\n");
    reboot();
}
MONITOR_CMD(reboot, "reboot", "restart the machine", cmd_reboot);
