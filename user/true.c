/*
 * true - do nothing, successfully.
 *
 * The smallest complete program: glibc's start-up (TLS, brk, a few
 * probes), then exit_group(0).  The kernel's self-test starts it a
 * thousand times and checks that not one frame or heap byte is left over.
 */
int main(void)
{
    return 0;
}
