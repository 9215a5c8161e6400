// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <string.h>

#include "policy_print.h"

#define PORTS_STR_MAX	64
#define TMPL_STR_MAX	160

static void json_range(struct json *j, const char *key,
		       const uint16_t range[2])
{
	json_arr_begin(j, key);
	json_u64(j, NULL, range[0]);
	json_u64(j, NULL, range[1]);
	json_arr_end(j);
}

/*
 * One object per template, in the kernel's order (inside out): a bundle is
 * [esp, ah], as the words of the grammar are; a single template is the
 * same array with one element, as it always was.
 */
static void json_tmpls(struct json *j, const struct policy *pol)
{
	const struct tmpl *t;
	unsigned int i;

	json_arr_begin(j, "templates");
	for (i = 0; i < pol->n_tmpls; i++) {
		t = &pol->tmpls[i];
		json_obj_begin(j, NULL);
		json_name(j, "proto", &ipsec_proto_names, t->proto);
		if (t->has_spi)
			json_u64(j, "spi", t->spi);
		json_name(j, "mode", &mode_names, t->mode);
		json_name(j, "level", &level_names, t->level);
		json_obj_end(j);
	}
	json_arr_end(j);
}

void policy_json(struct json *j, const struct policy *pol)
{
	policy_json_member(j, NULL, pol);
}

void policy_json_member(struct json *j, const char *key,
			const struct policy *pol)
{
	char buf[ADDR_STR_MAX];

	json_obj_begin(j, key);
	if (pol->has & POL_ID)
		json_u64(j, "id", pol->id);
	if (pol->has & POL_DIR)
		json_name(j, "dir", &dir_names, pol->dir);
	if (pol->has & POL_PRIORITY)
		json_u64(j, "priority", pol->priority);
	if (pol->has & POL_SRC)
		json_str(j, "src", prefix_str(&pol->src, buf));
	if (pol->has & POL_DST)
		json_str(j, "dst", prefix_str(&pol->dst, buf));
	if (pol->has & POL_PROTO)
		json_u64(j, "proto", pol->proto);
	if (pol->has & POL_SPORT)
		json_range(j, "sport", pol->sport);
	if (pol->has & POL_DPORT)
		json_range(j, "dport", pol->dport);
	if (pol->has & POL_TYPE)
		json_u64(j, "icmp_type", pol->icmp_type);
	if (pol->has & POL_CODE)
		json_u64(j, "icmp_code", pol->icmp_code);
	if (pol->has & POL_ACTION)
		json_name(j, "action", &action_names, pol->action);
	if ((pol->has & POL_ACTION) && pol->action == KIPSEC_ACTION_PROTECT)
		json_tmpls(j, pol);
	json_obj_end(j);
}

static size_t range_str(char *buf, size_t size, const char *word,
			const uint16_t range[2])
{
	if (range[0] == range[1])
		return snprintf(buf, size, "%s %u", word, range[0]);
	return snprintf(buf, size, "%s %u-%u", word, range[0], range[1]);
}

static const char *ports_str(const struct policy *pol, char *buf)
{
	size_t n = 0;

	buf[0] = '\0';
	if (pol->has & POL_SPORT)
		n += range_str(buf, PORTS_STR_MAX, "sport", pol->sport);
	if ((pol->has & POL_DPORT) && n < PORTS_STR_MAX)
		n += range_str(buf + n, PORTS_STR_MAX - n,
			       n ? " dport" : "dport", pol->dport);
	if ((pol->has & POL_TYPE) && n < PORTS_STR_MAX)
		n += snprintf(buf + n, PORTS_STR_MAX - n, "%stype %u",
			      n ? " " : "", pol->icmp_type);
	if ((pol->has & POL_CODE) && n < PORTS_STR_MAX)
		snprintf(buf + n, PORTS_STR_MAX - n, " code %u",
			 pol->icmp_code);
	return buf[0] ? buf : "-";
}

/*
 * The templates in the words of "action protect": the cell can be typed
 * back after it, a bundle included ("esp ... ah ...").
 */
static const char *tmpls_str(const struct policy *pol, char *buf)
{
	char proto[NUM_STR_MAX], mode[NUM_STR_MAX], level[NUM_STR_MAX];
	char spi[NUM_STR_MAX + 8];
	const struct tmpl *t;
	size_t n = 0;
	unsigned int i;

	buf[0] = '\0';
	for (i = 0; i < pol->n_tmpls && n < TMPL_STR_MAX; i++) {
		t = &pol->tmpls[i];
		spi[0] = '\0';
		if (t->has_spi)
			snprintf(spi, sizeof(spi), " spi 0x%08x", t->spi);
		n += snprintf(buf + n, TMPL_STR_MAX - n,
			      "%s%s%s mode %s level %s", i ? " " : "",
			      name_or_num(&ipsec_proto_names, t->proto, proto),
			      spi, name_or_num(&mode_names, t->mode, mode),
			      name_or_num(&level_names, t->level, level));
	}
	return buf[0] ? buf : "-";
}

/*
 * In the words of `policy add`, the id first: "id 7 dir out priority N
 * src ... action protect esp mode transport level require".
 */
void policy_words(FILE *f, const struct policy *pol)
{
	char buf[TMPL_STR_MAX], num[NUM_STR_MAX];

	fprintf(f, "id %u", pol->id);
	if (pol->has & POL_DIR)
		fprintf(f, " dir %s", name_or_num(&dir_names, pol->dir, num));
	if (pol->has & POL_PRIORITY)
		fprintf(f, " priority %u", pol->priority);
	if (pol->has & POL_SRC)
		fprintf(f, " src %s", prefix_str(&pol->src, buf));
	if (pol->has & POL_DST)
		fprintf(f, " dst %s", prefix_str(&pol->dst, buf));
	if (pol->has & POL_PROTO)
		fprintf(f, " proto %s", upper_proto_str(pol->proto, buf));
	if (pol->has & (POL_SPORT | POL_DPORT | POL_TYPE | POL_CODE))
		fprintf(f, " %s", ports_str(pol, buf));
	if (pol->has & POL_ACTION)
		fprintf(f, " action %s",
			name_or_num(&action_names, pol->action, num));
	if ((pol->has & POL_ACTION) && pol->action == KIPSEC_ACTION_PROTECT &&
	    pol->n_tmpls)
		fprintf(f, " %s", tmpls_str(pol, buf));
}

static const char *const policy_head[] = {
	"ID", "DIR", "PRIO", "SRC", "DST", "PROTO", "PORTS", "ACTION",
	"TEMPLATE",
};

static int policy_row(struct table *t, const struct policy *pol)
{
	char id[NUM_STR_MAX], dir[NUM_STR_MAX], prio[NUM_STR_MAX];
	char src[ADDR_STR_MAX], dst[ADDR_STR_MAX], proto[PROTO_STR_MAX];
	char ports[PORTS_STR_MAX], action[NUM_STR_MAX], tmpls[TMPL_STR_MAX];
	const char *row[ARRAY_SIZE(policy_head)] = {
		id, name_or_num(&dir_names, pol->dir, dir), prio,
		pol->has & POL_SRC ? prefix_str(&pol->src, src) : "any",
		pol->has & POL_DST ? prefix_str(&pol->dst, dst) : "any",
		pol->has & POL_PROTO ? upper_proto_str(pol->proto, proto) :
				       "any",
		ports_str(pol, ports),
		name_or_num(&action_names, pol->action, action),
		tmpls_str(pol, tmpls),
	};

	snprintf(id, sizeof(id), "%u", pol->id);
	if (pol->has & POL_PRIORITY)
		snprintf(prio, sizeof(prio), "%u", pol->priority);
	else
		snprintf(prio, sizeof(prio), "-");
	return table_add(t, row);
}

static int policy_table(FILE *f, const struct policy *pols, size_t n)
{
	struct table t;
	size_t i;
	int ret = 0;

	table_init(&t, policy_head, ARRAY_SIZE(policy_head));
	for (i = 0; i < n && !ret; i++)
		ret = policy_row(&t, &pols[i]);
	if (!ret)
		table_print(&t, f);
	table_free(&t);
	return ret;
}

void policy_print_one(FILE *f, const struct policy *pol, bool json)
{
	struct json j;

	if (!json) {
		policy_table(f, pol, 1);
		return;
	}
	json_init(&j, f);
	policy_json(&j, pol);
	json_end(&j);
}

int policy_print_list(FILE *f, const struct policy *pols, size_t n,
		      bool json)
{
	struct json j;
	size_t i;

	if (!json)
		return n ? policy_table(f, pols, n) : 0;
	json_init(&j, f);
	json_arr_begin(&j, NULL);
	for (i = 0; i < n; i++)
		policy_json(&j, &pols[i]);
	json_arr_end(&j);
	json_end(&j);
	return 0;
}
