/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Configuration files (ipsecctl -f FILE): one command per line, in the
 * words of the command line without "ipsecctl".  Every command keeps the
 * file and line it came from for error messages.  No netlink here.
 *
 * - Words are separated by spaces and tabs.  There is no quoting: no word
 *   of the grammar needs a blank.
 * - A '#' at the start of a line or after a blank starts a comment to the
 *   end of the line; a '#' inside a word ("a#b") is part of the word.
 *   Blank and comment-only lines are skipped.
 * - A '\' as the very last character of a line joins the next line to
 *   this one; the '\' and the line end are removed, nothing is put in
 *   their place, as in sh ("0x0011\" + "2233" is "0x00112233").  The
 *   command's line is that of its first line.  A '\' anywhere else is an
 *   error, also one followed only by blanks or a comment (no invisible
 *   meaning), and so is a '\' on the last line of the file.  Inside a
 *   comment a '\' is only text: it does not continue the comment.
 * - "include PATH" (exactly one PATH) reads PATH in place of the line; a
 *   relative PATH is relative to the directory of the including file (of
 *   the current directory for standard input).  The included commands
 *   carry the resolved name (dir of the includer + PATH).  Includes nest at
 *   most 16 deep; including a file that is being read is an error (the
 *   same file included twice one after the other is not).  "include -"
 *   names a file "-", not standard input.
 * - CRLF line ends are accepted.  The last line need not end in '\n'.
 * - Errors: a NUL byte anywhere; a control character other than tab
 *   outside a comment (it would end up in messages); a line longer than
 *   65536 bytes, without its line end, or a command joined from lines
 *   that is longer.
 *
 * Errors are "FILE:LINE: reason", or "FILE: reason" when FILE cannot be
 * opened; an include that cannot be opened is "FILE:LINE: include PATH:
 * reason" (PATH resolved).  Standard input is named "<stdin>".
 *
 * Files may hold keys: the file text is wiped from every buffer before it
 * is freed (argv by conf_free()), and the reader never prints it.  File
 * permissions are not checked here.
 */
#ifndef IPSECCTL_CONFFILE_H
#define IPSECCTL_CONFFILE_H

#include <stddef.h>

#include "args.h"

struct conf_cmd {
	/* as named by the user, or resolved from the include line */
	const char *file;
	unsigned int line;	/* of the command's first physical line */
	int argc;
	char **argv;		/* NULL terminated */
};

struct conf {
	struct conf_cmd *cmds;
	size_t n;
	/* private: storage, wiped when freed (keys) */
	void *priv;
};

/*
 * Reads @path ("-": standard input, read to its end) and its includes
 * into @conf (which need not be initialised); argv strings stay valid
 * until conf_free().  A file without commands gives @conf->n == 0.
 * Returns 0, or -1 with @e saying "FILE:LINE: reason" (status EXIT_FAIL)
 * and @conf empty.  The caller frees @conf with conf_free() in any case;
 * conf_free() of an all-zero conf is harmless too.
 */
int conf_read(const char *path, struct conf *conf, struct perr *e);
void conf_free(struct conf *conf);

#endif /* IPSECCTL_CONFFILE_H */
