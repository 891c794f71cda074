/*
 * lib/list.h - circular doubly linked lists with a sentinel head.
 *
 * The node is embedded in the object it links (struct page, a heap block,
 * a process), so putting an object on a list never allocates.  An empty list
 * is a head whose next and prev point at itself; that single rule is what
 * lets list_add and list_del run without any special cases.
 */
#ifndef LIB_LIST_H
#define LIB_LIST_H

#include "lib/types.h"

struct list_head {
    struct list_head *next, *prev;
};

#define LIST_HEAD_INIT(name) { &(name), &(name) }

static inline void list_init(struct list_head *head)
{
    head->next = head;
    head->prev = head;
}

static inline bool list_empty(const struct list_head *head)
{
    return head->next == head;
}

/* Insert NODE between PREV and NEXT, which must be adjacent. */
static inline void list_insert_between(struct list_head *node,
                                       struct list_head *prev,
                                       struct list_head *next)
{
    next->prev = node;
    node->next = next;
    node->prev = prev;
    prev->next = node;
}

/* Add NODE right after HEAD (stack order: newest first). */
static inline void list_add(struct list_head *node, struct list_head *head)
{
    list_insert_between(node, head, head->next);
}

/* Add NODE right before HEAD (queue order: newest last). */
static inline void list_add_tail(struct list_head *node, struct list_head *head)
{
    list_insert_between(node, head->prev, head);
}

/* Unlink NODE and point it at itself, so a second list_del is harmless
 * and list_empty(NODE) tells whether it is on a list. */
static inline void list_del(struct list_head *node)
{
    node->next->prev = node->prev;
    node->prev->next = node->next;
    list_init(node);
}

#define list_entry(ptr, type, member) container_of(ptr, type, member)

#define list_for_each(pos, head) \
    for ((pos) = (head)->next; (pos) != (head); (pos) = (pos)->next)

/* Safe against removal of POS inside the loop body. */
#define list_for_each_safe(pos, tmp, head) \
    for ((pos) = (head)->next, (tmp) = (pos)->next; (pos) != (head); \
         (pos) = (tmp), (tmp) = (pos)->next)

#endif
