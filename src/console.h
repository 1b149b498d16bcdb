/* console.h: a run's captured terminal output as safe HTML for a <pre> element */
#ifndef TF_CONSOLE_H
#define TF_CONSOLE_H
#include <stddef.h>
#include "buf.h"

struct console_opts {
	/* Input beyond this is cut: the first max_bytes/2 and the last max_bytes/2 bytes are
	 * kept, cut at line boundaries (failing that after a \r, failing that between two
	 * UTF-8 characters), with a line "… N lines (M bytes) not shown …" in between
	 * (<span class="console-omitted">). 0 = no limit. */
	size_t max_bytes;
};

/* Appends the HTML for text (len bytes) to out: every byte escaped through html_text.
 *
 * SGR sequences (ESC [ ... m) become <span> elements, closed at the end of every line and
 * reopened on the next, so spans are always balanced: 0 reset, 1 bold, 2 faint, 3 italic,
 * 4 underline, 22-24 their resets, 30-37/90-97 and 40-47/100-107 the 16 basic colours,
 * 39/49 default, 38;5;N / 48;5;N (256 colours) and 38;2;R;G;B / 48;2;R;G;B (also in the
 * colon forms 38:5:N, 38:2::R:G:B). Classes "ansi-bold", "ansi-faint", "ansi-italic",
 * "ansi-underline", "ansi-fg-N" / "ansi-bg-N" (N 0-15, also for 38;5;N with N < 16); other
 * colours as style="color:#rrggbb" / "background-color:#rrggbb" computed here, never
 * copied from the input. Other SGR codes are ignored. All other escape sequences (CSI
 * cursor moves and erases, OSC ... BEL/ST, DCS, charset selection...) are removed; a
 * sequence cut short by the end of the input is dropped.
 *
 * A \r not followed by \n starts the line again: the text before it on that line is
 * dropped (progress bars collapse to their last state); \r\n (also \r\r\n) is a newline,
 * and \r at the very end keeps the line. Backspace deletes the previous character on the
 * line. Other control characters (C0, DEL, C1) except \n and \t are dropped. Invalid UTF-8
 * becomes U+FFFD, one per maximal ill-formed subsequence.
 *
 * o may be NULL (no limit). Returns the number of lines written: every \n, the omission
 * line, and a last unterminated line if it shows any text. Linear in len. */
size_t console_html(struct buf *out, const char *text, size_t len, const struct console_opts *o);

#endif
