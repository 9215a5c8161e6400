// SPDX-License-Identifier: GPL-2.0
/* JSON escaping and structure; text table alignment. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "output.h"
#include "unit.h"

static const struct {
	const char *in;
	const char *out;
} escape_cases[] = {
	{ "", "\"\"" },
	{ "plain", "\"plain\"" },
	{ "a\"b", "\"a\\\"b\"" },
	{ "back\\slash", "\"back\\\\slash\"" },
	{ "/", "\"/\"" },
	{ "\n\r\t\b\f", "\"\\n\\r\\t\\b\\f\"" },
	{ "\x01\x1f", "\"\\u0001\\u001f\"" },
	{ "\x7f", "\"\\u007f\"" },
	{ "caf\xc3\xa9", "\"caf\xc3\xa9\"" },		/* valid UTF-8 kept */
	{ "\xe2\x82\xac", "\"\xe2\x82\xac\"" },		/* U+20AC */
	{ "\xf0\x9f\x94\x91", "\"\xf0\x9f\x94\x91\"" },	/* U+1F511 */
	{ "\xff", "\"\\ufffd\"" },			/* not UTF-8 */
	{ "a\xc3", "\"a\\ufffd\"" },			/* truncated */
	{ "\xc3(", "\"\\ufffd(\"" },			/* bad continuation */
	{ "\xc0\xaf", "\"\\ufffd\\ufffd\"" },		/* overlong */
	{ "\xed\xa0\x80", "\"\\ufffd\\ufffd\\ufffd\"" },	/* surrogate */
	{ "\xf4\x90\x80\x80", "\"\\ufffd\\ufffd\\ufffd\\ufffd\"" }, /* > U+10FFFF */
	{ "\"\\\"", "\"\\\"\\\\\\\"\"" },
};

static void escape_tests(void)
{
	char *out = NULL;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(escape_cases); i++) {
		T_CAPTURE(out, json_escape(f, escape_cases[i].in));
		t_check(!strcmp(out, escape_cases[i].out), "json_escape",
			"case %zu: got %s want %s", i, out,
			escape_cases[i].out);
		free(out);
	}
}

static void structure_tests(void)
{
	char *out = NULL;
	struct json j;

	T_CAPTURE(out, ({
		json_init(&j, f);
		json_obj_begin(&j, NULL);
		json_str(&j, "k\"ey", "v");
		json_u64(&j, "n", 18446744073709551615ULL);
		json_bool(&j, "t", true);
		json_bool(&j, "f", false);
		json_arr_begin(&j, "a");
		json_u64(&j, NULL, 1);
		json_obj_begin(&j, NULL);
		json_obj_end(&j);
		json_arr_begin(&j, NULL);
		json_arr_end(&j);
		json_str(&j, NULL, "s");
		json_arr_end(&j);
		json_obj_begin(&j, "o");
		json_u64(&j, "z", 0);
		json_obj_end(&j);
		json_obj_end(&j);
		json_end(&j);
	}));
	t_check(!strcmp(out, "{\"k\\\"ey\":\"v\",\"n\":18446744073709551615,"
			"\"t\":true,\"f\":false,\"a\":[1,{},[],\"s\"],"
			"\"o\":{\"z\":0}}\n"), "json structure", "got %s", out);
	free(out);

	T_CAPTURE(out, ({
		json_init(&j, f);
		json_arr_begin(&j, NULL);
		json_arr_end(&j);
		json_end(&j);
	}));
	t_check(!strcmp(out, "[]\n"), "json structure", "empty array: %s",
		out);
	free(out);
}

static void table_tests(void)
{
	static const char *const head[] = { "A", "LONGER", "C" };
	static const char *const r1[] = { "wide-cell", "x", "last" };
	static const char *const r2[] = { "", "yy", "" };
	struct table t;
	char *out = NULL;

	table_init(&t, head, 3);
	table_add(&t, r1);
	table_add(&t, r2);
	T_CAPTURE(out, table_print(&t, f));
	table_free(&t);
	t_check(!strcmp(out,
			"A          LONGER  C\n"
			"wide-cell  x       last\n"
			"           yy      \n"), "table", "got:\n%s", out);
	free(out);
}

static void kv_tests(void)
{
	char *out = NULL;

	T_CAPTURE(out, kv_print(f, "replay window", "%u", 128));
	t_check(!strcmp(out, "replay window:       128\n"), "kv_print",
		"got '%s'", out);
	free(out);
}

void output_tests(void)
{
	escape_tests();
	structure_tests();
	table_tests();
	kv_tests();
}
