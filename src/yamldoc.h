/* yamldoc.h: a YAML document as a light tree of nodes, read by yaml.c (the only file that
 * includes libyaml). Not named yaml.h: with -Isrc that name would hide libyaml's header. */
#ifndef TF_YAMLDOC_H
#define TF_YAMLDOC_H
#include <stddef.h>

enum ynode_kind { YNODE_SCALAR, YNODE_SEQUENCE, YNODE_MAPPING };

struct ynode_pair;

/* One node. An alias is the node it names (the same node, so the tree may share nodes and
 * even hold a cycle: walk it to a fixed depth). */
struct ynode {
	enum ynode_kind kind;
	int line;                  /* 1-based line where the node starts */
	/* scalars */
	char *text;                /* the value as read (escapes resolved), NUL-terminated */
	size_t len;                /* its bytes (text may hold a NUL of its own) */
	int quoted;                /* not plain: single- or double-quoted, literal or folded */
	/* sequences */
	struct ynode **items;
	size_t nitems;
	/* mappings, in file order */
	struct ynode_pair *pairs;
	size_t npairs;
};

struct ynode_pair {
	struct ynode *key, *value;
};

struct ydoc {
	struct ynode *root; /* NULL for an empty stream */
	struct ynode *nodes;
	size_t nnodes;
};

/* The first YAML document of len bytes of text (tags are not kept). On a syntax error prints
 * "path:LINE:COL: problem" (libyaml's problem text) and returns NULL. */
struct ydoc *ydoc_parse(const char *path, const char *text, size_t len);
void ydoc_free(struct ydoc *d); /* accepts NULL */

#endif
