/*
 * mm/mm.c - the order in which memory management comes up.
 */
#include "mm/mm.h"

void mm_init(void)
{
}
