// SPDX-License-Identifier: GPL-2.0
/*
 * Command-line words to values.  Every parser is strict: the whole word must
 * be consumed, numbers must fit, and a value that cannot be what the grammar
 * asks for is a usage error (exit 2).  A well-formed value the kernel would
 * refuse anyway (reserved SPI, host bits) is an ordinary error (exit 1), so
 * the exit status does not depend on whether the tool or the kernel saw it
 * first.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/stat.h>
#include <linux/kipsec.h>

#include "args.h"

static int perr_vset(struct perr *e, int status, const char *fmt, va_list ap)
{
	e->status = status;
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	return -1;
}

int perr_usage(struct perr *e, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	perr_vset(e, EXIT_USAGE, fmt, ap);
	va_end(ap);
	return -1;
}

int perr_fail(struct perr *e, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	perr_vset(e, EXIT_FAIL, fmt, ap);
	va_end(ap);
	return -1;
}

void args_init(struct args *a, int argc, char **argv)
{
	a->argc = argc;
	a->argv = argv;
	a->i = 0;
	a->word = NULL;
}

const char *args_value(struct args *a, const char *what, struct perr *e)
{
	if (a->i >= a->argc) {
		perr_usage(e, "missing %s after '%s'", what, a->word);
		return NULL;
	}
	return a->argv[a->i++];
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static bool has_hex_prefix(const char *s)
{
	return s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
}

/* Decimal or 0x-hex; no sign, no spaces, no octal surprise for "010". */
int parse_u64(const char *s, uint64_t max, uint64_t *v)
{
	unsigned int base = 10;
	uint64_t n = 0;
	int d;

	if (has_hex_prefix(s)) {
		base = 16;
		s += 2;
	}
	if (!*s)
		return -EINVAL;
	for (; *s; s++) {
		d = hex_digit(*s);
		if (d < 0 || (unsigned int)d >= base)
			return -EINVAL;
		if (n > (UINT64_MAX - d) / base)
			return -ERANGE;
		n = n * base + d;
	}
	if (n > max)
		return -ERANGE;
	*v = n;
	return 0;
}

int args_u64(struct args *a, const char *what, uint64_t max, uint64_t *v,
	     struct perr *e)
{
	const char *s = args_value(a, what, e);
	int ret;

	if (!s)
		return -1;
	ret = parse_u64(s, max, v);
	if (ret == -EINVAL)
		return perr_usage(e, "%s: '%s' is not a number", a->word, s);
	if (ret == -ERANGE)
		return perr_usage(e, "%s: %s is out of range (0..%llu)",
				  a->word, s, (unsigned long long)max);
	return 0;
}

int args_u32(struct args *a, const char *what, uint32_t *v, struct perr *e)
{
	uint64_t n;

	if (args_u64(a, what, UINT32_MAX, &n, e))
		return -1;
	*v = n;
	return 0;
}

int args_u8(struct args *a, const char *what, uint8_t *v, struct perr *e)
{
	uint64_t n;

	if (args_u64(a, what, UINT8_MAX, &n, e))
		return -1;
	*v = n;
	return 0;
}

int args_spi(struct args *a, uint32_t *spi, struct perr *e)
{
	return args_u32(a, "SPI", spi, e);
}

int check_spi(uint32_t spi, struct perr *e)
{
	if (spi < KIPSEC_SPI_MIN)
		return perr_fail(e, "spi %u: SPI 0..%u are reserved (RFC 4301)",
				 spi, KIPSEC_SPI_MIN - 1);
	return 0;
}

size_t addr_len(int family)
{
	return family == AF_INET ? 4 : family == AF_INET6 ? 16 : 0;
}

int parse_addr(const char *s, struct ip_addr *a)
{
	memset(a, 0, sizeof(*a));
	if (inet_pton(AF_INET, s, a->bytes) == 1)
		a->family = AF_INET;
	else if (inet_pton(AF_INET6, s, a->bytes) == 1)
		a->family = AF_INET6;
	else
		return -EINVAL;
	return 0;
}

/* ADDR[/LEN]; without /LEN the prefix is the whole address. */
int parse_prefix(const char *s, struct ip_prefix *p)
{
	char buf[INET6_ADDRSTRLEN + 1];
	const char *slash = strchr(s, '/');
	size_t alen = slash ? (size_t)(slash - s) : strlen(s);
	uint64_t len;
	int ret;

	if (alen >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, s, alen);
	buf[alen] = '\0';
	if (parse_addr(buf, &p->addr))
		return -EINVAL;
	p->len = addr_len(p->addr.family) * 8;
	if (!slash)
		return 0;
	/* decimal only: "/0x18" is not how anyone writes a prefix length */
	if (has_hex_prefix(slash + 1))
		return -EINVAL;
	ret = parse_u64(slash + 1, p->len, &len);
	if (ret)
		return ret;
	p->len = len;
	return 0;
}

static uint8_t host_mask(const struct ip_prefix *p, size_t i)
{
	size_t bit = i * 8;

	if (bit >= p->len)
		return 0xff;
	if (bit + 8 <= p->len)
		return 0;
	return 0xff >> (p->len - bit);
}

bool prefix_has_host_bits(const struct ip_prefix *p)
{
	size_t i;

	for (i = 0; i < addr_len(p->addr.family); i++)
		if (p->addr.bytes[i] & host_mask(p, i))
			return true;
	return false;
}

void prefix_clear_host_bits(struct ip_prefix *p)
{
	size_t i;

	for (i = 0; i < addr_len(p->addr.family); i++)
		p->addr.bytes[i] &= ~host_mask(p, i);
}

int args_addr(struct args *a, struct ip_addr *addr, struct perr *e)
{
	const char *s = args_value(a, "ADDR", e);

	if (!s)
		return -1;
	if (parse_addr(s, addr))
		return perr_usage(e, "%s: '%s' is not an IPv4 or IPv6 address",
				  a->word, s);
	return 0;
}

int args_prefix(struct args *a, struct ip_prefix *p, struct perr *e)
{
	const char *s = args_value(a, "PREFIX", e);
	int ret;

	if (!s)
		return -1;
	ret = parse_prefix(s, p);
	if (ret == -ERANGE)
		return perr_usage(e, "%s: prefix length of '%s' is out of range (0..%zu)",
				  a->word, s, addr_len(p->addr.family) * 8);
	if (ret)
		return perr_usage(e, "%s: '%s' is not an address or ADDR/LEN prefix",
				  a->word, s);
	return 0;
}

const char *addr_str(const struct ip_addr *a, char *buf)
{
	if (!inet_ntop(a->family, a->bytes, buf, ADDR_STR_MAX))
		snprintf(buf, ADDR_STR_MAX, "?");
	return buf;
}

const char *prefix_str(const struct ip_prefix *p, char *buf)
{
	size_t n;

	addr_str(&p->addr, buf);
	n = strlen(buf);
	snprintf(buf + n, ADDR_STR_MAX - n, "/%u", p->len);
	return buf;
}

/* The kernel refuses host bits too; saying which prefix was meant helps. */
int check_prefix(const char *word, const struct ip_prefix *p, struct perr *e)
{
	struct ip_prefix net = *p;
	char given[ADDR_STR_MAX], want[ADDR_STR_MAX];

	if (!prefix_has_host_bits(p))
		return 0;
	prefix_clear_host_bits(&net);
	return perr_fail(e, "%s %s: host bits set beyond the prefix length (did you mean %s?)",
			 word, prefix_str(p, given), prefix_str(&net, want));
}

int parse_port_range(const char *s, uint16_t range[2])
{
	char buf[16];
	const char *dash = strchr(s, '-');
	uint64_t lo, hi;
	int ret;

	if (!dash)
		dash = s + strlen(s);
	if ((size_t)(dash - s) >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, s, dash - s);
	buf[dash - s] = '\0';
	ret = parse_u64(buf, UINT16_MAX, &lo);
	if (ret)
		return ret;
	hi = lo;
	if (*dash) {
		ret = parse_u64(dash + 1, UINT16_MAX, &hi);
		if (ret)
			return ret;
		if (hi < lo)
			return -EDOM;
	}
	range[0] = lo;
	range[1] = hi;
	return 0;
}

int args_port_range(struct args *a, uint16_t range[2], struct perr *e)
{
	const char *s = args_value(a, "N[-M]", e);
	int ret;

	if (!s)
		return -1;
	ret = parse_port_range(s, range);
	if (ret == -ERANGE)
		return perr_usage(e, "%s: '%s': ports are 0..65535", a->word, s);
	if (ret == -EDOM)
		return perr_usage(e, "%s: '%s': the range ends before it starts",
				  a->word, s);
	if (ret)
		return perr_usage(e, "%s: '%s' is not a port or N-M port range",
				  a->word, s);
	return 0;
}

enum hex_err parse_hex_key(const char *s, bool need_prefix, uint8_t *key,
			   size_t *len)
{
	size_t digits, i;
	int hi, lo;

	if (has_hex_prefix(s))
		s += 2;
	else if (need_prefix)
		return HEX_NO_PREFIX;
	digits = strlen(s);
	for (i = 0; i < digits; i++)
		if (hex_digit(s[i]) < 0)
			return HEX_BAD_DIGIT;
	if (digits % 2)
		return HEX_ODD;
	if (digits / 2 > KEY_MAX_LEN)
		return HEX_TOO_LONG;
	for (i = 0; i < digits / 2; i++) {
		hi = hex_digit(s[2 * i]);
		lo = hex_digit(s[2 * i + 1]);
		key[i] = hi << 4 | lo;
	}
	*len = digits / 2;
	return HEX_OK;
}

const char *hex_err_str(enum hex_err err)
{
	switch (err) {
	case HEX_OK:
		return "ok";
	case HEX_NO_PREFIX:
		return "a key is written 0xHEX";
	case HEX_BAD_DIGIT:
		return "not a hex digit in the key";
	case HEX_ODD:
		return "odd number of hex digits";
	case HEX_TOO_LONG:
		break;
	}
	return "longer than the longest key (" STR(KEY_MAX_LEN) " bytes)";
}

/* The key itself is never quoted back: it may be a real one with a typo. */
int args_hex_key(struct args *a, uint8_t *key, size_t *len, struct perr *e)
{
	const char *s = args_value(a, "0xHEX", e);
	enum hex_err err;

	if (!s)
		return -1;
	err = parse_hex_key(s, true, key, len);
	if (err != HEX_OK)
		return perr_usage(e, "%s: %s", a->word, hex_err_str(err));
	return 0;
}

#define KEYFILE_MAX	4096

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* The file's text: surrounding whitespace allowed, 0x optional. */
static int keyfile_parse(const char *path, char *text, size_t n, uint8_t *key,
			 size_t *len, struct perr *e)
{
	enum hex_err err;

	while (n && is_space(text[n - 1]))
		n--;
	text[n] = '\0';
	while (is_space(*text))
		text++;
	if (!*text)
		return perr_fail(e, "keyfile %s: empty", path);
	err = parse_hex_key(text, false, key, len);
	if (err != HEX_OK)
		return perr_fail(e, "keyfile %s: not a hex key: %s", path,
				 hex_err_str(err));
	return 0;
}

/* Only a regular file that group and others can neither read nor write. */
static int keyfile_check(int fd, const char *path, struct perr *e)
{
	struct stat st;

	if (fstat(fd, &st))
		return perr_fail(e, "keyfile %s: %s", path, strerror(errno));
	if (!S_ISREG(st.st_mode))
		return perr_fail(e, "keyfile %s: not a regular file", path);
	/* read or write for group or others */
	if (st.st_mode & 0066)
		return perr_fail(e, "keyfile %s: mode %04o lets group or others read or write it (chmod 600 it)",
				 path, (unsigned int)(st.st_mode & 07777));
	return 0;
}

/*
 * As OpenBSD's ipsecctl does, a key file others can read (or replace) is
 * refused: the key is as secret as the file.  O_NONBLOCK keeps a FIFO
 * from hanging us before fstat() tells us what it is.
 */
int load_keyfile(const char *path, uint8_t *key, size_t *len, struct perr *e)
{
	char text[KEYFILE_MAX + 1];
	ssize_t n;
	int ret;
	int fd;

	fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return perr_fail(e, "keyfile %s: %s", path, strerror(errno));
	ret = keyfile_check(fd, path, e);
	if (ret)
		goto cleanup;
	n = read(fd, text, sizeof(text));
	ret = -1;
	if (n < 0) {
		perr_fail(e, "keyfile %s: %s", path, strerror(errno));
		goto cleanup;
	}
	if (n > KEYFILE_MAX) {
		perr_fail(e, "keyfile %s: too large for a key", path);
		goto cleanup;
	}
	ret = keyfile_parse(path, text, n, key, len, e);
cleanup:
	explicit_bzero(text, sizeof(text));
	close(fd);
	return ret;
}

void hex_str(const uint8_t *key, size_t len, char *buf)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	*buf++ = '0';
	*buf++ = 'x';
	for (i = 0; i < len && i < KEY_MAX_LEN; i++) {
		*buf++ = digits[key[i] >> 4];
		*buf++ = digits[key[i] & 0xf];
	}
	*buf = '\0';
}

int name_lookup(const struct name_table *t, const char *name,
		unsigned int *val)
{
	size_t i;

	for (i = 0; i < t->n; i++) {
		if (!strcmp(t->v[i].name, name)) {
			*val = t->v[i].val;
			return 0;
		}
	}
	return -ENOENT;
}

/* The first name of a value is its canonical one; later ones are aliases. */
const char *name_of(const struct name_table *t, unsigned int val)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		if (t->v[i].val == val)
			return t->v[i].name;
	return NULL;
}

const char *name_or_num(const struct name_table *t, unsigned int val,
			char *buf)
{
	const char *name = name_of(t, val);

	if (name)
		return name;
	snprintf(buf, NUM_STR_MAX, "%u", val);
	return buf;
}

static void name_choices(const struct name_table *t, char *buf, size_t size)
{
	size_t i, n = 0;

	buf[0] = '\0';
	for (i = 0; i < t->n && n < size; i++)
		n += snprintf(buf + n, size - n, "%s%s", i ? "|" : "",
			      t->v[i].name);
}

int args_name(struct args *a, const struct name_table *t, unsigned int *val,
	      struct perr *e)
{
	const char *s = args_value(a, t->what, e);
	char choices[128];

	if (!s)
		return -1;
	if (!name_lookup(t, s, val))
		return 0;
	name_choices(t, choices, sizeof(choices));
	return perr_usage(e, "%s: '%s' is not one of %s", a->word, s, choices);
}

static const struct name_val ipsec_protos[] = {
	{ "esp", IPPROTO_ESP },
	{ "ah", IPPROTO_AH },
};

static const struct name_val modes[] = {
	{ "transport", KIPSEC_MODE_TRANSPORT },
	{ "tunnel", KIPSEC_MODE_TUNNEL },
};

static const struct name_val dirs[] = {
	{ "in", KIPSEC_DIR_IN },
	{ "out", KIPSEC_DIR_OUT },
};

static const struct name_val actions[] = {
	{ "bypass", KIPSEC_ACTION_BYPASS },
	{ "discard", KIPSEC_ACTION_DISCARD },
	{ "protect", KIPSEC_ACTION_PROTECT },
};

static const struct name_val levels[] = {
	{ "require", KIPSEC_LEVEL_REQUIRE },
	{ "use", KIPSEC_LEVEL_USE },
};

static const struct name_val upper_protos[] = {
	{ "tcp", IPPROTO_TCP },
	{ "udp", IPPROTO_UDP },
	{ "icmp", IPPROTO_ICMP },
	{ "ipv6-icmp", IPPROTO_ICMPV6 },
	{ "icmpv6", IPPROTO_ICMPV6 },
	{ "sctp", IPPROTO_SCTP },
	{ "udplite", IPPROTO_UDPLITE },
	{ "esp", IPPROTO_ESP },
	{ "ah", IPPROTO_AH },
	{ "gre", IPPROTO_GRE },
};

const struct name_table ipsec_proto_names = NAME_TABLE("esp|ah", ipsec_protos);
const struct name_table mode_names = NAME_TABLE("transport|tunnel", modes);
const struct name_table dir_names = NAME_TABLE("in|out", dirs);
const struct name_table action_names =
	NAME_TABLE("bypass|discard|protect", actions);
const struct name_table level_names = NAME_TABLE("require|use", levels);
const struct name_table upper_proto_names = NAME_TABLE("P", upper_protos);

int args_upper_proto(struct args *a, uint8_t *proto, struct perr *e)
{
	const char *s = args_value(a, "P", e);
	char choices[128];
	unsigned int val;
	uint64_t n;

	if (!s)
		return -1;
	if (!name_lookup(&upper_proto_names, s, &val)) {
		*proto = val;
		return 0;
	}
	if (!parse_u64(s, UINT8_MAX, &n)) {
		*proto = n;
		return 0;
	}
	name_choices(&upper_proto_names, choices, sizeof(choices));
	return perr_usage(e, "%s: '%s' is neither a protocol name (%s) nor a number 0..255",
			  a->word, s, choices);
}

const char *upper_proto_str(uint8_t proto, char *buf)
{
	const char *name = name_of(&upper_proto_names, proto);

	if (name)
		snprintf(buf, PROTO_STR_MAX, "%s", name);
	else
		snprintf(buf, PROTO_STR_MAX, "%u", proto);
	return buf;
}

static const struct word *find_word(const struct word *words, size_t n,
				    unsigned int allowed, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if ((words[i].bit & allowed) && !strcmp(words[i].name, name))
			return &words[i];
	return NULL;
}

static unsigned int bit_index(unsigned int bit)
{
	return __builtin_ctz(bit);
}

int parse_words(struct args *a, const struct word *words, size_t n,
		unsigned int allowed, unsigned int *seen, void *obj,
		struct perr *e)
{
	const char *first[32] = { NULL };
	const struct word *w;
	const char *s;

	while (a->i < a->argc) {
		s = a->argv[a->i++];
		w = find_word(words, n, allowed, s);
		if (!w && s[0] == '-')
			return perr_usage(e, "unexpected word '%s' (options go before the object)",
					  s);
		if (!w)
			return perr_usage(e, "unexpected word '%s'", s);
		if ((*seen & w->bit) && !w->repeat) {
			const char *prev = first[bit_index(w->bit)];

			if (prev && strcmp(prev, s))
				return perr_usage(e, "'%s' conflicts with '%s'",
						  s, prev);
			return perr_usage(e, "'%s' given twice", s);
		}
		*seen |= w->bit;
		first[bit_index(w->bit)] = w->name;
		a->word = w->name;
		if (w->parse && w->parse(a, obj, e))
			return -1;
	}
	return 0;
}

int check_required(const struct word *words, size_t n, unsigned int required,
		   unsigned int seen, struct perr *e)
{
	unsigned int missing = required & ~seen;
	size_t i;

	if (!missing)
		return 0;
	for (i = 0; i < n; i++)
		if (words[i].bit & missing)
			return perr_usage(e, "missing '%s'", words[i].hint);
	return perr_usage(e, "missing words");
}
