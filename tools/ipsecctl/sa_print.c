// SPDX-License-Identifier: GPL-2.0
#include <inttypes.h>
#include <string.h>
#include <time.h>

#include "sa_print.h"

static void json_alg(struct json *j, const char *key, const char *key_key,
		     const struct sa_alg *alg, bool show_keys)
{
	char hex[HEX_STR_MAX];

	json_str(j, key, alg->name);
	if (!show_keys || !alg->has_key)
		return;
	hex_str(alg->key, alg->key_len, hex);
	json_str(j, key_key, hex);
	explicit_bzero(hex, sizeof(hex));
}

static void json_lifetimes(struct json *j, const struct sa *sa)
{
	int kind, i;

	json_obj_begin(j, "lifetime");
	for (kind = 0; kind < SA_LIFETIME_KINDS; kind++) {
		json_obj_begin(j, sa_lifetime_kind_names[kind]);
		for (i = 0; i < SA_LIFE_N; i++)
			json_u64(j, sa_lifetime_names[i].json,
				 sa->lifetime[kind][i]);
		json_obj_end(j);
	}
	json_obj_end(j);
}

static void json_stats(struct json *j, const struct sa *sa)
{
	int i;

	json_obj_begin(j, "stats");
	for (i = 0; i < SA_STAT_N; i++)
		json_u64(j, sa_stat_names[i].json, sa->stats[i]);
	json_obj_end(j);
}

void sa_json(struct json *j, const struct sa *sa, bool show_keys)
{
	sa_json_member(j, NULL, sa, show_keys);
}

void sa_json_member(struct json *j, const char *key, const struct sa *sa,
		    bool show_keys)
{
	char addr[ADDR_STR_MAX];

	json_obj_begin(j, key);
	if (sa->has & SA_SRC)
		json_str(j, "src", addr_str(&sa->src, addr));
	if (sa->has & SA_DST)
		json_str(j, "dst", addr_str(&sa->dst, addr));
	if (sa->has & SA_PROTO)
		json_name(j, "proto", &ipsec_proto_names, sa->proto);
	if (sa->has & SA_SPI)
		json_u64(j, "spi", sa->spi);
	if (sa->has & SA_MODE)
		json_name(j, "mode", &mode_names, sa->mode);
	if (sa->has & SA_ENC)
		json_alg(j, "enc", "enc_key", &sa->enc, show_keys);
	if (sa->has & SA_AUTH)
		json_alg(j, "auth", "auth_key", &sa->auth, show_keys);
	json_bool(j, "no_integrity", sa->flags & KIPSEC_SA_F_NO_INTEGRITY);
	json_bool(j, "esn", sa->flags & KIPSEC_SA_F_ESN);
	if (sa->has & SA_REPLAY_WINDOW)
		json_u64(j, "replay_window", sa->replay_window);
	if (sa->has & SA_SEQ)
		json_u64(j, "seq", sa->seq);
	json_lifetimes(j, sa);
	if (sa->has & SA_STATS)
		json_stats(j, sa);
	json_obj_end(j);
}

static const char *flags_str(uint32_t flags, char *buf, size_t size)
{
	snprintf(buf, size, "%s%s%s",
		 flags & KIPSEC_SA_F_ESN ? "esn" : "",
		 (flags & KIPSEC_SA_F_ESN) &&
		 (flags & KIPSEC_SA_F_NO_INTEGRITY) ? " " : "",
		 flags & KIPSEC_SA_F_NO_INTEGRITY ? "no-integrity" : "");
	if (!buf[0])
		snprintf(buf, size, "none");
	return buf;
}

static void kv_key(FILE *f, const char *label, const struct sa_alg *alg)
{
	char hex[HEX_STR_MAX];

	hex_str(alg->key, alg->key_len, hex);
	kv_print(f, label, "%s", hex);
	explicit_bzero(hex, sizeof(hex));
}

static void kv_lifetime(FILE *f, const struct sa *sa, int kind)
{
	char label[32], line[160];
	size_t n = 0;
	int i;

	for (i = 0; i < SA_LIFE_N; i++) {
		if (sa->lifetime[kind][i])
			n += snprintf(line + n, sizeof(line) - n, "%s%s %" PRIu64,
				      n ? ", " : "", sa_lifetime_names[i].word,
				      sa->lifetime[kind][i]);
		if (n >= sizeof(line))
			break;
	}
	snprintf(label, sizeof(label), "%s lifetime",
		 sa_lifetime_kind_names[kind]);
	kv_print(f, label, "%s", n ? line : "unlimited");
}

static void kv_time(FILE *f, const char *label, uint64_t secs)
{
	time_t t = secs;
	char buf[64];
	struct tm tm;

	if (!secs) {
		kv_print(f, label, "never");
		return;
	}
	if (!localtime_r(&t, &tm) ||
	    !strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M:%S", &tm))
		snprintf(buf, sizeof(buf), "?");
	kv_print(f, label, "%s (%" PRIu64 ")", buf, secs);
}

static void kv_stats(FILE *f, const struct sa *sa)
{
	int i;

	for (i = 0; i < SA_STAT_N; i++) {
		if (i == SA_STAT_ADD_TIME || i == SA_STAT_USE_TIME)
			kv_time(f, sa_stat_names[i].word, sa->stats[i]);
		else
			kv_print(f, sa_stat_names[i].word, "%" PRIu64,
				 sa->stats[i]);
	}
}

static void sa_kv(FILE *f, const struct sa *sa, bool show_keys)
{
	char buf[ADDR_STR_MAX], num[NUM_STR_MAX];

	kv_print(f, "src", "%s", addr_str(&sa->src, buf));
	kv_print(f, "dst", "%s", addr_str(&sa->dst, buf));
	kv_print(f, "proto", "%s", name_or_num(&ipsec_proto_names, sa->proto, num));
	kv_print(f, "spi", "0x%08x (%u)", sa->spi, sa->spi);
	kv_print(f, "mode", "%s", name_or_num(&mode_names, sa->mode, num));
	kv_print(f, "enc", "%s", sa->has & SA_ENC ? sa->enc.name : "none");
	if (show_keys && sa->enc.has_key)
		kv_key(f, "enc key", &sa->enc);
	kv_print(f, "auth", "%s", sa->has & SA_AUTH ? sa->auth.name : "none");
	if (show_keys && sa->auth.has_key)
		kv_key(f, "auth key", &sa->auth);
	kv_print(f, "flags", "%s", flags_str(sa->flags, buf, sizeof(buf)));
	kv_print(f, "replay window", "%u", sa->replay_window);
	kv_print(f, "seq", "%" PRIu64, sa->seq);
	kv_lifetime(f, sa, SA_SOFT);
	kv_lifetime(f, sa, SA_HARD);
	if (sa->has & SA_STATS)
		kv_stats(f, sa);
}

void sa_lifetime_words(FILE *f, const struct sa *sa)
{
	int kind, i;

	for (kind = 0; kind < SA_LIFETIME_KINDS; kind++)
		for (i = 0; i < SA_LIFE_N; i++)
			if (sa->lifetime[kind][i])
				fprintf(f, " %s %s %" PRIu64,
					sa_lifetime_kind_names[kind],
					sa_lifetime_names[i].word,
					sa->lifetime[kind][i]);
}

/*
 * In the words of `sa add` (keys never), so that a line can be read as the
 * command, then "stats packets N bytes N" if the SA came with counters.
 */
void sa_words(FILE *f, const struct sa *sa)
{
	char buf[ADDR_STR_MAX], num[NUM_STR_MAX];

	fprintf(f, "src %s", addr_str(&sa->src, buf));
	fprintf(f, " dst %s", addr_str(&sa->dst, buf));
	fprintf(f, " proto %s", name_or_num(&ipsec_proto_names, sa->proto, num));
	fprintf(f, " spi 0x%08x", sa->spi);
	if (sa->has & SA_MODE)
		fprintf(f, " mode %s", name_or_num(&mode_names, sa->mode, num));
	if (sa->has & SA_ENC)
		fprintf(f, " enc %s", sa->enc.name);
	if (sa->has & SA_AUTH)
		fprintf(f, " auth %s", sa->auth.name);
	if (sa->flags & KIPSEC_SA_F_NO_INTEGRITY)
		fputs(" no-integrity", f);
	if (sa->flags & KIPSEC_SA_F_ESN)
		fputs(" esn", f);
	if (sa->has & SA_REPLAY_WINDOW)
		fprintf(f, " replay-window %u", sa->replay_window);
	if (sa->has & SA_SEQ)
		fprintf(f, " seq %" PRIu64, sa->seq);
	sa_lifetime_words(f, sa);
	if (sa->has & SA_STATS)
		fprintf(f, " stats packets %" PRIu64 " bytes %" PRIu64,
			sa->stats[SA_STAT_PACKETS], sa->stats[SA_STAT_BYTES]);
}

void sa_print_one(FILE *f, const struct sa *sa, bool json, bool show_keys)
{
	struct json j;

	if (!json) {
		sa_kv(f, sa, show_keys);
		return;
	}
	json_init(&j, f);
	sa_json(&j, sa, show_keys);
	json_end(&j);
}

static const char *const sa_head[] = {
	"SRC", "DST", "PROTO", "SPI", "MODE", "ENC", "AUTH", "FLAGS",
	"PACKETS", "BYTES", "ENC-KEY", "AUTH-KEY",
};

#define SA_COLS_KEYS	ARRAY_SIZE(sa_head)
#define SA_COLS		(SA_COLS_KEYS - 2)

static int sa_row(struct table *t, const struct sa *sa)
{
	char src[ADDR_STR_MAX], dst[ADDR_STR_MAX], proto[NUM_STR_MAX];
	char spi[NUM_STR_MAX], mode[NUM_STR_MAX], flags[32];
	char packets[NUM_STR_MAX], bytes[NUM_STR_MAX];
	char enc_key[HEX_STR_MAX], auth_key[HEX_STR_MAX];
	const char *row[SA_COLS_KEYS] = {
		addr_str(&sa->src, src), addr_str(&sa->dst, dst),
		name_or_num(&ipsec_proto_names, sa->proto, proto), spi, name_or_num(&mode_names, sa->mode, mode),
		sa->has & SA_ENC ? sa->enc.name : "-",
		sa->has & SA_AUTH ? sa->auth.name : "-",
		flags_str(sa->flags, flags, sizeof(flags)), packets, bytes,
		enc_key, auth_key,
	};
	int ret;

	snprintf(spi, sizeof(spi), "0x%08x", sa->spi);
	snprintf(packets, sizeof(packets), "%" PRIu64,
		 sa->stats[SA_STAT_PACKETS]);
	snprintf(bytes, sizeof(bytes), "%" PRIu64, sa->stats[SA_STAT_BYTES]);
	if (!strcmp(flags, "none"))
		row[7] = "-";
	strcpy(enc_key, "-");
	strcpy(auth_key, "-");
	if (t->ncols == SA_COLS_KEYS && sa->enc.has_key)
		hex_str(sa->enc.key, sa->enc.key_len, enc_key);
	if (t->ncols == SA_COLS_KEYS && sa->auth.has_key)
		hex_str(sa->auth.key, sa->auth.key_len, auth_key);
	ret = table_add(t, row);
	explicit_bzero(enc_key, sizeof(enc_key));
	explicit_bzero(auth_key, sizeof(auth_key));
	return ret;
}

int sa_print_list(FILE *f, const struct sa *sas, size_t n, bool json,
		  bool show_keys)
{
	struct table t;
	struct json j;
	size_t i;
	int ret = 0;

	if (json) {
		json_init(&j, f);
		json_arr_begin(&j, NULL);
		for (i = 0; i < n; i++)
			sa_json(&j, &sas[i], show_keys);
		json_arr_end(&j);
		json_end(&j);
		return 0;
	}
	if (!n)
		return 0;
	table_init(&t, sa_head, show_keys ? SA_COLS_KEYS : SA_COLS);
	for (i = 0; i < n && !ret; i++)
		ret = sa_row(&t, &sas[i]);
	if (!ret)
		table_print(&t, f);
	table_free(&t);
	return ret;
}
