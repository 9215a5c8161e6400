// SPDX-License-Identifier: GPL-2.0
/* The KIPSEC_CMD_GET_INFO reply and `version` output. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/genetlink.h>

#include "args.h"
#include "info.h"
#include "kmod/version.h"
#include "unit.h"

static void put_alg(struct nlmsghdr *nlh, const char *name, uint8_t type,
		    uint16_t key_len, uint16_t icv_len)
{
	struct nlattr *alg = mnl_attr_nest_start(nlh, KIPSEC_A_ALG);

	mnl_attr_put_strz(nlh, KIPSEC_A_ALG_NAME, name);
	mnl_attr_put_u8(nlh, KIPSEC_A_ALG_TYPE, type);
	mnl_attr_put_u16(nlh, KIPSEC_A_ALG_KEY_LEN, key_len);
	mnl_attr_put_u16(nlh, KIPSEC_A_ALG_ICV_LEN, icv_len);
	mnl_attr_put_u32(nlh, KIPSEC_A_ALG_MAX + 1, 1);	/* unknown */
	mnl_attr_nest_end(nlh, alg);
}

static struct nlmsghdr *reply(char *buf, const char *version)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct nlattr *algs;

	mnl_nlmsg_put_extra_header(nlh, sizeof(struct genlmsghdr));
	mnl_attr_put_strz(nlh, KIPSEC_A_VERSION, version);
	mnl_attr_put_u32(nlh, KIPSEC_A_MAX_SAS, 100000);
	mnl_attr_put_u32(nlh, KIPSEC_A_MAX + 1, 1);	/* unknown */
	algs = mnl_attr_nest_start(nlh, KIPSEC_A_ALGS);
	put_alg(nlh, "aes-128-gcm", KIPSEC_ALG_TYPE_AEAD, 20, 16);
	put_alg(nlh, "aes-128-gmac", KIPSEC_ALG_TYPE_AEAD_AUTH, 20, 16);
	put_alg(nlh, "aes-\"x\"-cbc", KIPSEC_ALG_TYPE_CIPHER, 16, 0);
	put_alg(nlh, "hmac-sha1", KIPSEC_ALG_TYPE_AUTH, 20, 12);
	mnl_attr_nest_end(nlh, algs);
	return nlh;
}

void info_tests(void)
{
	char buf[4096], *out = NULL;
	struct info info;
	int ret;

	ret = info_from_msg(reply(buf, "0.1.0"), &info);
	if (!t_check(!ret && info.n_algs == 4, "info_from_msg",
		     "got %d, %u algorithms", ret, info.n_algs))
		return;
	T_CAPTURE(out, info_print(f, &info, true));
	t_check(!strcmp(out, "{\"ipsecctl\":\"" KIPSEC_VERSION "\","
			"\"module\":\"0.1.0\",\"algorithms\":["
			"{\"name\":\"aes-128-gcm\",\"type\":\"aead\",\"key_len\":20,\"icv_len\":16},"
			"{\"name\":\"aes-128-gmac\",\"type\":\"aead-auth\",\"key_len\":20,\"icv_len\":16},"
			"{\"name\":\"aes-\\\"x\\\"-cbc\",\"type\":\"cipher\",\"key_len\":16,\"icv_len\":0},"
			"{\"name\":\"hmac-sha1\",\"type\":\"auth\",\"key_len\":20,\"icv_len\":12}]}\n"),
		"version json", "got %s", out);
	free(out);

	T_CAPTURE(out, info_print(f, &info, false));
	t_check(!strcmp(out, "ipsecctl " KIPSEC_VERSION "\n"
			"kipsec module 0.1.0\n"
			"ALGORITHM     TYPE       KEY-LEN  ICV-LEN\n"
			"aes-128-gcm   aead       20       16\n"
			"aes-128-gmac  aead-auth  20       16\n"
			"aes-\"x\"-cbc   cipher     16       0\n"
			"hmac-sha1     auth       20       12\n"),
		"version text", "got:\n%s", out);
	free(out);

	T_CAPTURE(out, info_print(f, NULL, true));
	t_check(!strcmp(out, "{\"ipsecctl\":\"" KIPSEC_VERSION "\"}\n"),
		"version json", "without the module: %s", out);
	free(out);

	ret = info_from_msg(reply(buf, "a version string longer than sixty-four bytes, which no module has"),
			    &info);
	t_check(ret && errno == EPROTO, "info_from_msg",
		"an overlong version must be refused");
}
