// SPDX-License-Identifier: GPL-2.0
/*
 * ESP encode and decode through the module's own kipsec_esp_output() and
 * kipsec_esp_input(): published known-answer packets, packets the test
 * builds with a transform of its own (so the module is checked against
 * the crypto API, not against itself), and round trips.
 */
#include <crypto/aead.h>
#include <crypto/authenc.h>
#include <crypto/cryptd.h>
#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/rtnetlink.h>
#include <linux/scatterlist.h>
#include <linux/skbuff.h>
#include <linux/udp.h>
#include <asm/unaligned.h>
#include <net/ip.h>

#include "esp.h"
#include "netns.h"
#include "sad.h"
#include "suites.h"
#include "test_util.h"

#define ESP_HLEN 8
/* ---- running the ESP code ---- */

static enum kipsec_stats_attr
run_esp(struct kunit *test, struct sk_buff **skbp, struct kipsec_sa *sa,
	u16 family, bool output, unsigned int esp_off, unsigned int nh_off)
{
	struct kipsec_cont c;
	int ret;

	kt_cont_init(&c, sa, family);
	if (output)
		ret = kipsec_esp_output(*skbp, &c);
	else
		ret = kipsec_esp_input(*skbp, esp_off, nh_off, &c);
	return kt_verdict(test, skbp, ret);
}

static enum kipsec_stats_attr
esp_out(struct kunit *test, struct sk_buff **skbp, struct kipsec_sa *sa,
	enum kt_layout l)
{
	return run_esp(test, skbp, sa, kt_layout_family(l), true, 0, 0);
}

static enum kipsec_stats_attr
esp_in(struct kunit *test, struct sk_buff **skbp, struct kipsec_sa *sa,
	enum kt_layout l)
{
	return run_esp(test, skbp, sa, kt_layout_family(l), false,
		       kt_layout_hlen(l), kt_layout_nh_off(l));
}

/* ---- SAs ---- */

static void sa_addrs(struct kipsec_sa_config *cfg, u16 family, u32 spi)
{
	kipsec_sa_config_init(cfg);
	cfg->family = family;
	cfg->proto = IPPROTO_ESP;
	cfg->spi = spi;
	if (family == AF_INET) {
		memcpy(&cfg->saddr.a4, kt_v4_src, 4);
		memcpy(&cfg->daddr.a4, kt_v4_dst, 4);
	} else {
		memcpy(cfg->saddr.a6.s6_addr, kt_v6_src, 16);
		memcpy(cfg->daddr.a6.s6_addr, kt_v6_dst, 16);
	}
}

/* ---- published packets ---- */

/*
 * A whole ESP packet as published.  HMAC keys shorter than the kipsec
 * key length are zero-padded, which gives the same HMAC (RFC 2104 pads
 * every key to the block size with zeros).
 */
struct esp_kat {
	const char *name;
	u16 family;		/* of the outer header; 0: IPv4 */
	const char *enc;	/* NULL: GMAC, in auth */
	const char *enc_key;	/* hex; AEAD: cipher key | salt */
	const char *auth;
	const char *auth_key;	/* hex */
	u32 spi;
	u32 sa_spi;		/* when the published SPI is reserved */
	u32 flags;
	u64 seq;		/* in full: the high half of an ESN too */
	const char *packet;	/* hex: SPI | seq | IV | ciphertext | ICV */
	const char *inner;	/* hex: the payload, without the trailer */
	u8 next_header;
	enum kipsec_stats_attr verdict;
};

/*
 * draft-mcgrew-gcm-test-01 section 4 (GCM, GMAC), RFC 7634 appendix A,
 * RFC 3602 section 4 cases 5 to 8 (CBC without integrity); the hash
 * vectors of RFC 2202 and RFC 4231, whose "data" read as an ESP packet
 * (null cipher) has an impossible pad length: the ICV must pass and the
 * padding check then fail.  The mcgrew packets carry a whole IPv4 packet
 * as payload whatever the next header says.
 */
static const struct esp_kat esp_kats[] = {
	{
		.name = "mcgrew aes-128-gcm spi 4321 len 104",
		.enc = "aes-128-gcm",
		.enc_key = "4c80cdefbb5d10da906ac73c3613a6342e443b68",
		.spi = 0x4321,
		.flags = KIPSEC_SA_F_ESN,
		.seq = 0x8765432100000000,
		.packet =
			"00004321000000004956ed7e3b244cfefecf537e729d5b07dc30df528dd22b768d1b98736696a6fd348509fa13ceac34cfa2436f14a3f3cf65925bf1f4a13c5d15b21e1884f5ff6247aeabb786b93bce61bc17d768fd9732459018148f6cbe722fd04796562dfdb4",
		.inner =
			"45000048699a000080114db7c0a80102c0a801010a9bf15638d301000001000000000000045f736970045f756470037369700963796265726369747902646b0000210001",
		.next_header = 1,
	},
	{
		.name = "mcgrew aes-128-gcm spi a5f8 len 96",
		.enc = "aes-128-gcm",
		.enc_key = "feffe9928665731c6d6a8f9467308308cafebabe",
		.spi = 0xa5f8,
		.seq = 0xa,
		.packet =
			"0000a5f80000000afacedbaddecaf888deb22cd9b07c72c16e3a65beeb8df304a5a5897d33ae530f1ba76d5d114d2a5c3de81827c10e9a4f51330d0eec416642cfbb85a5b47e48a4ec3b9ba95d918bd183b70d3aa8bc6ee4c309e9d85a41ad4a",
		.inner =
			"4500003e698f000080114dccc0a80102c0a801010a980035002a2343b2d001000001000000000000037369700963796265726369747902646b0000010001",
		.next_header = 1,
	},
	{
		.name = "mcgrew aes-128-gcm spi a5f8 len 96 ipv6",
		.family = AF_INET6,
		.enc = "aes-128-gcm",
		.enc_key = "feffe9928665731c6d6a8f9467308308cafebabe",
		.spi = 0xa5f8,
		.seq = 0xa,
		.packet =
			"0000a5f80000000afacedbaddecaf888deb22cd9b07c72c16e3a65beeb8df304a5a5897d33ae530f1ba76d5d114d2a5c3de81827c10e9a4f51330d0eec416642cfbb85a5b47e48a4ec3b9ba95d918bd183b70d3aa8bc6ee4c309e9d85a41ad4a",
		.inner =
			"4500003e698f000080114dccc0a80102c0a801010a980035002a2343b2d001000001000000000000037369700963796265726369747902646b0000010001",
		.next_header = 1,
	},
	{
		.name = "mcgrew aes-256-gcm spi 4a2cbfe3 len 84",
		.enc = "aes-256-gcm",
		.enc_key =
			"abbccddef00112233445566778899aababbccddef00112233445566778899aab11223344",
		.spi = 0x4a2cbfe3,
		.seq = 0x2,
		.packet =
			"4a2cbfe3000000020102030405060708ff425c9b724599df7a3bcd510194e00d6a78107f1b0b1cbf06efae9d65a5d763748a637985771d347f0545659f14e99def842d8eb335f4eecfdbf831824b4c4915956c96",
		.inner =
			"4500003069a6400080062690c0a801029389155e0a9e008b2dc57ee0000000007002400020bf0000020405b401010402",
		.next_header = 1,
	},
	{
		.name = "mcgrew aes-128-gcm spi 0 len 96",
		.enc = "aes-128-gcm",
		.enc_key = "0000000000000000000000000000000000000000",
		.spi = 0x0,
		.sa_spi = 0x100,
		.seq = 0x1,
		.packet =
			"000000000000000100000000000000004688daf2f973a392732909c331d56d60f694abaa414b5e7ff5fdcdfff5e9a284456476492719ffb64de7d9dca1e1d894bc3bd57873ed4d181d19d4d5c8c18af3f821d496eeb096e98ad2b69e4799c71d",
		.inner =
			"4500003c99c500008001cb7a40679318010101010800075c020044006162636465666768696a6b6c6d6e6f7071727374757677616263646566676869",
		.next_header = 1,
	},
	{
		.name = "mcgrew aes-128-gcm spi 42f67e3f len 96",
		.enc = "aes-128-gcm",
		.enc_key = "3de09874b388e6491988d0c3607eae1f57690e43",
		.spi = 0x42f67e3f,
		.flags = KIPSEC_SA_F_ESN,
		.seq = 0x1010101010101010,
		.packet =
			"42f67e3f101010104e280000a2fca1a3fba2caa4853cf9f0f22cb10d86dd83b0fec75691cf1a04b00d1138ec9c35791765acbd8701ad79845bf9fe3fba487bc91755e6662b4c8d0d1f5e22739530320ae0d731cc978ecafaeae88f00e80d6e48",
		.inner =
			"4500003c99c300008001cb7c40679318010101010800085c020043006162636465666768696a6b6c6d6e6f7071727374757677616263646566676869",
		.next_header = 1,
	},
	{
		.name = "mcgrew aes-128-gcm spi 42f67e3f len 60",
		.enc = "aes-128-gcm",
		.enc_key = "3de09874b388e6491988d0c3607eae1f57690e43",
		.spi = 0x42f67e3f,
		.flags = KIPSEC_SA_F_ESN,
		.seq = 0x1010101010101010,
		.packet =
			"42f67e3f101010104e280000a2fca1a3fba2ca845e5df9f0f22c3e6e86dd831e1fc65792cd1af9130e1379ed369f071f35e034be95f112e4e7d05d35",
		.inner = "4500001c42a200008001441f406793b6e00000020a00f5ff",
		.next_header = 1,
	},
	{
		.name = "mcgrew aes-192-gcm spi a5f8 len 72",
		.enc = "aes-192-gcm",
		.enc_key =
			"feffe9928665731c6d6a8f9467308308feffe9928665731ccafebabe",
		.spi = 0xa5f8,
		.seq = 0xa,
		.packet =
			"0000a5f80000000afacedbaddecaf888a5b1f8066029aea40e598b8122de02420938b3ab33f828e687b8858b5bfbdbd0315b27452144cc7795457b9652037f5318027b5b4cd7a636",
		.inner =
			"45000028a4ad4000400678800a01038f0a010612802306b8cb712602dd6bb03e501016d07568",
		.next_header = 1,
	},
	{
		.name = "mcgrew aes-128-gcm spi 100 len 108",
		.enc = "aes-128-gcm",
		.enc_key = "abbccddef00112233445566778899aabdecaf888",
		.spi = 0x100,
		.flags = KIPSEC_SA_F_ESN,
		.seq = 0x1,
		.packet =
			"0000010000000001cafedebaceface7418a6fd42f72cbf4ab2a2ea901f73d814e3e7f243d95412e1c349c1d2fbec168f9190feebaf2cb01984e65863965d7472b79da345e0e780191f0d2f0e0f496c226f2127b27db35724e7845d68651f57e65f354f75ff17015769623436",
		.inner =
			"4500004933ba00007f119106c3fb1d10c2b1d326c02831ce0035dd7b800302d500004e20001e8c18d75b81dc91baa0476b91b924b280389d92c963bac046ec959b6266c04722b14923",
		.next_header = 1,
	},
	{
		.name = "mcgrew aes-256-gcm spi 17405e67 len 72",
		.enc = "aes-256-gcm",
		.enc_key =
			"abbccddef00112233445566778899aababbccddef00112233445566778899aab73616c74",
		.spi = 0x17405e67,
		.flags = KIPSEC_SA_F_ESN,
		.seq = 0x156f3126dd0db99b,
		.packet =
			"17405e67dd0db99b616e640169766563f2d69ecdbd5a0d5b8d5ef38bad4da58d1f278fde98ef67549d524a3018d9a57ff4d3a31ce673119e451626c2415771e3b7eebca614c89b35",
		.inner =
			"45080028732c00004006e9f90a0106120a01038f06b88023dd6bafbecb71260250101f646d54",
		.next_header = 1,
	},
	{
		.name = "mcgrew aes-128-gcm spi 42f67e3f len 108",
		.enc = "aes-128-gcm",
		.enc_key = "3de09874b388e6491988d0c3607eae1f57690e43",
		.spi = 0x42f67e3f,
		.flags = KIPSEC_SA_F_ESN,
		.seq = 0x1010101010101010,
		.packet =
			"42f67e3f101010104e280000a2fca1a3fba2cad12fc1f9f00d3cebf305410db83d7784b607323d220f24b0a97d54182800cadb0f68d99ef0e0c0c89ae9bea8884e52d65bc1afd0740f742444747b5b39ab533163aad4550ee5160975cdb608c5769189609763b8e18caa81e2",
		.inner =
			"45000049333e00007f119182c3fb1d10c2b1d326c02831ce0035cb458003025b000001e0001e8c18d65759d52284a0352c71475c8880391c764d6e5ee0496b325ae270c03899493915",
		.next_header = 1,
	},
	{
		.name = "mcgrew aes-256-gcm spi 17405e67 len 104",
		.enc = "aes-256-gcm",
		.enc_key =
			"abbccddef00112233445566778899aababbccddef00112233445566778899aab73616c74",
		.spi = 0x17405e67,
		.flags = KIPSEC_SA_F_ESN,
		.seq = 0x156f3126dd0db99b,
		.packet =
			"17405e67dd0db99b616e640169766563d4b7ed86a1777f2ea13d6973d324c69e7b43f826fb56831226508bebd2dceb18d0a6df10e5487df074113e14c641024e3e6773d91a62ee429b043a10e3efe6b012a49363412364f8c0cac587f249e56b11e24f30e44ccc76",
		.inner =
			"636973636f0172756c657301746865016e6574776501646566696e6501746865746563686e6f6c6f67696573017468617477696c6c01646566696e65746f6d6f72726f77",
		.next_header = 1,
	},
	{
		.name = "mcgrew aes-128-gcm spi 335467ae len 36 empty",
		.enc = "aes-128-gcm",
		.enc_key = "7d773d00c144c525ac619d18c84a3f47d9664267",
		.spi = 0x335467ae,
		.seq = 0xffffffff,
		.packet =
			"335467aeffffffff43457e9182443bc6437f866bcb3f699fe9b0822bac961c4504bef270",
		.inner = "",
		.next_header = 1,
		.verdict = KIPSEC_A_STATS_IN_BAD_LENGTH,
	},
	{
		.name = "mcgrew aes-128-gcm spi 100 len 52",
		.enc = "aes-128-gcm",
		.enc_key = "abbccddef00112233445566778899aabdecaf888",
		.spi = 0x100,
		.flags = KIPSEC_SA_F_ESN,
		.seq = 0x1,
		.packet =
			"0000010000000001cafedebaceface7429c9fc69a197d038ccdd14e2ddfcaa0543332164412503524303ed3c6c5f283843af8c3e",
		.inner = "746f016265016f72016e6f7401746f016265",
		.next_header = 1,
	},
	{
		.name = "mcgrew aes-256-gcm spi 796b6963 len 84",
		.enc = "aes-256-gcm",
		.enc_key =
			"6c6567616c697a656d6172696a75616e61616e64646f69746265666f726569617475726e",
		.spi = 0x796b6963,
		.flags = KIPSEC_SA_F_ESN,
		.seq = 0xffffffffffffffff,
		.packet =
			"796b6963ffffffff333021696765746df97ab2aa356d8edce17644ac8c78e25dd24dedbb29ebf1b64a274b39b49c3a864cd3d78ca4ae68a32b42458fb57dbe821dcc63b9d0937ba2945f669368661a329fb4c053",
		.inner =
			"45000030da3a00008001df3bc0a80005c0a800010800c6cd020007006162636465666768696a6b6c6d6e6f7071727374",
		.next_header = 1,
	},
	{
		.name = "mcgrew aes-128-gcm spi 3f7ef642 len 84",
		.enc = "aes-128-gcm",
		.enc_key = "3de09874b388e6491988d0c3607eae1f57690e43",
		.spi = 0x3f7ef642,
		.flags = KIPSEC_SA_F_ESN,
		.seq = 0x1010101010101010,
		.packet =
			"3f7ef642101010104e280000a2fca1a3fba2caa8c6c5f9f0f22ca54a061210ad3f6e5791cf1aca210d117cec9c35791765acbd8701ad79845bf9fe3fba487bc96321930684eecadb56912546e7a95c9740d7cb05",
		.inner =
			"45000030da3a00008001df3bc0a80005c0a800010800c6cd020007006162636465666768696a6b6c6d6e6f7071727374",
		.next_header = 1,
	},
	{
		.name = "mcgrew aes-128-gcm spi 4321 len 64",
		.enc = "aes-128-gcm",
		.enc_key = "4c80cdefbb5d10da906ac73c3613a63422433c64",
		.spi = 0x4321,
		.flags = KIPSEC_SA_F_ESN,
		.seq = 0x8765432100000007,
		.packet =
			"00004321000000074855ec7d3a234bfd74752e8aeb5d873cd7c0f4acc36c4bff84b7d7b98f0ca8b6acda6894bc619069ef9cbc28fe1b56a7c4e0d58c86cd2bc0",
		.inner =
			"0800c6cd020007006162636465666768696a6b6c6d6e6f7071727374",
		.next_header = 1,
	},
	{
		.name = "mcgrew aes-128-gmac spi 4321 len 84",
		.auth = "aes-128-gmac",
		.auth_key = "4c80cdefbb5d10da906ac73c3613a63422433c64",
		.spi = 0x4321,
		.seq = 0x7,
		.packet =
			"0000432100000007000000000000000045000030da3a00008001df3bc0a80005c0a800010800c6cd020007006162636465666768696a6b6c6d6e6f707172737401020201f2a9a836e155106aa8dcd618e4099aaa",
		.inner =
			"45000030da3a00008001df3bc0a80005c0a800010800c6cd020007006162636465666768696a6b6c6d6e6f7071727374",
		.next_header = 1,
	},
	{
		.name = "RFC 7634 appendix A chacha20-poly1305",
		.enc = "chacha20-poly1305",
		.enc_key =
			"808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9fa0a1a2a3",
		.spi = 0x1020304,
		.seq = 0x5,
		.packet =
			"0102030400000005101112131415161724039428b97f417e3c13753a4f05087b67c352e6a7fab1b982d466ef407ae5c614ee8099d52844eb61aa95dfab4c02f72aa71e7c4c4f64c9befe2facc638e8f3cbec163fac469b502773f6fb94e664da9165b82829f641e076aaa8266b7fb0f7b11b369907e1ad43",
		.inner =
			"45000054a6f200004001e778c6336405c000020508005b7a3a080000553bec100007362708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f3031323334353637",
		.next_header = 4,
	},
	{
		.name = "RFC 7634 appendix A chacha20-poly1305 ipv6",
		.family = AF_INET6,
		.enc = "chacha20-poly1305",
		.enc_key =
			"808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9fa0a1a2a3",
		.spi = 0x1020304,
		.seq = 0x5,
		.packet =
			"0102030400000005101112131415161724039428b97f417e3c13753a4f05087b67c352e6a7fab1b982d466ef407ae5c614ee8099d52844eb61aa95dfab4c02f72aa71e7c4c4f64c9befe2facc638e8f3cbec163fac469b502773f6fb94e664da9165b82829f641e076aaa8266b7fb0f7b11b369907e1ad43",
		.inner =
			"45000054a6f200004001e778c6336405c000020508005b7a3a080000553bec100007362708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f3031323334353637",
		.next_header = 4,
	},
	{
		.name = "RFC 3602 case 5 aes-128-cbc",
		.enc = "aes-128-cbc",
		.enc_key = "90d382b410eeba7ad938c46cec1a82bf",
		.spi = 0x4321,
		.flags = KIPSEC_SA_F_NO_INTEGRITY,
		.seq = 0x1,
		.packet =
			"0000432100000001e96e8c08ab465763fd098d45dd3ff893f663c25d325c18c6a9453e194e120849a4870b66cc6b9965330013b4898dc856a4699e523a55db080b59ec3a8e4b7e52775b07d1db34ed9c538ab50c551b874aa269add047ad2d5913ac19b7cfbad4a6",
		.inner =
			"08000ebda70a00008e9c083db95b070008090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f3031323334353637",
		.next_header = 1,
	},
	{
		.name = "RFC 3602 case 6 aes-128-cbc",
		.enc = "aes-128-cbc",
		.enc_key = "90d382b410eeba7ad938c46cec1a82bf",
		.spi = 0x4321,
		.flags = KIPSEC_SA_F_NO_INTEGRITY,
		.seq = 0x8,
		.packet =
			"000043210000000869d08df7d203329db093fc4924e5bd80f51995881ec4e0c4488987ce742e8109689bb379d2d750c0d915dca346a89f75",
		.inner =
			"0800b5e8a80a0500a69c083d0b660e00777777777777777777777777",
		.next_header = 1,
	},
	{
		.name = "RFC 3602 case 7 aes-128-cbc",
		.enc = "aes-128-cbc",
		.enc_key = "0123456789abcdef0123456789abcdef",
		.spi = 0x8765,
		.flags = KIPSEC_SA_F_NO_INTEGRITY,
		.seq = 0x2,
		.packet =
			"0000876500000002f4e765244f6407adf13dc1380f673f37773b5241a4c449225e4f3ce5ed611b0c237ca96cf74a93013c1b0ea1a0cf70f8e4ecaec78ac53aad7a0f022b859243c647752e94a859352b8a4d4d2decd136e5c177f132ad3fbfb2201ac9904c74ee0a109e0ca1e4dfe9d5a100b842f1c22f0d",
		.inner =
			"45000054090400004001f988c0a87b03c0a87bc808009f76a90a0100b49c083d02a2040008090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f3031323334353637",
		.next_header = 4,
	},
	{
		.name = "RFC 3602 case 8 aes-128-cbc",
		.enc = "aes-128-cbc",
		.enc_key = "0123456789abcdef0123456789abcdef",
		.spi = 0x8765,
		.flags = KIPSEC_SA_F_NO_INTEGRITY,
		.seq = 0x5,
		.packet =
			"000087650000000585d47224b5f3dd5d2101d4ea8dffab2215b92683819596a8047232cc00f7048fe45318e11f8a0f62ede3c3fc61203bb50f980a08c9843fd3a1b06d5c07ff9639b7eb7dfb3512e5de435e7207ed971ef3d2726d9b5ef6affc6d17a0decbb13892",
		.inner =
			"45000044090c00004001f990c0a87b03c0a87bc80800d63caa0a0200c69c083da3de0300ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
		.next_header = 4,
	},
	{
		.name = "RFC 2202 2 hmac-sha1 (ICV good, padding not)",
		.enc = "null",
		.auth = "hmac-sha1",
		.auth_key = "4a656665",
		.spi = 0x77686174,
		.seq = 0x20646f20,
		.packet =
			"7768617420646f2079612077616e7420666f72206e6f7468696e673feffcdf6ae5eb2fa2d27416d5",
		.verdict = KIPSEC_A_STATS_IN_BAD_PADDING,
	},
	{
		.name = "RFC 2202 5 hmac-sha1 (ICV good, padding not)",
		.enc = "null",
		.auth = "hmac-sha1",
		.auth_key = "0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c",
		.spi = 0x54657374,
		.seq = 0x20576974,
		.packet =
			"546573742057697468205472756e636174696f6e4c1a03424b55e07fe7f27be1",
		.verdict = KIPSEC_A_STATS_IN_BAD_PADDING,
	},
	{
		.name = "RFC 4231 2 hmac-sha2-256 (ICV good, padding not)",
		.enc = "null",
		.auth = "hmac-sha2-256",
		.auth_key = "4a656665",
		.spi = 0x77686174,
		.seq = 0x20646f20,
		.packet =
			"7768617420646f2079612077616e7420666f72206e6f7468696e673f5bdcc146bf60754e6a042426089575c7",
		.verdict = KIPSEC_A_STATS_IN_BAD_PADDING,
	},
	{
		.name = "RFC 4231 5 hmac-sha2-256 (ICV good, padding not)",
		.enc = "null",
		.auth = "hmac-sha2-256",
		.auth_key = "0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c",
		.spi = 0x54657374,
		.seq = 0x20576974,
		.packet =
			"546573742057697468205472756e636174696f6ea3b6167473100ee06e0c796c2955552b",
		.verdict = KIPSEC_A_STATS_IN_BAD_PADDING,
	},
	{
		.name = "RFC 4231 2 hmac-sha2-384 (ICV good, padding not)",
		.enc = "null",
		.auth = "hmac-sha2-384",
		.auth_key = "4a656665",
		.spi = 0x77686174,
		.seq = 0x20646f20,
		.packet =
			"7768617420646f2079612077616e7420666f72206e6f7468696e673faf45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47",
		.verdict = KIPSEC_A_STATS_IN_BAD_PADDING,
	},
	{
		.name = "RFC 4231 2 hmac-sha2-512 (ICV good, padding not)",
		.enc = "null",
		.auth = "hmac-sha2-512",
		.auth_key = "4a656665",
		.spi = 0x77686174,
		.seq = 0x20646f20,
		.packet =
			"7768617420646f2079612077616e7420666f72206e6f7468696e673f164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea250554",
		.verdict = KIPSEC_A_STATS_IN_BAD_PADDING,
	},
	{
		.name = "RFC 2202 2 hmac-md5 (ICV good, padding not)",
		.enc = "null",
		.auth = "hmac-md5",
		.auth_key = "4a656665",
		.spi = 0x77686174,
		.seq = 0x20646f20,
		.packet =
			"7768617420646f2079612077616e7420666f72206e6f7468696e673f750c783e6ab0b503eaa86e31",
		.verdict = KIPSEC_A_STATS_IN_BAD_PADDING,
	},
	{
		.name = "RFC 2202 5 hmac-md5 (ICV good, padding not)",
		.enc = "null",
		.auth = "hmac-md5",
		.auth_key = "0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c",
		.spi = 0x54657374,
		.seq = 0x20576974,
		.packet =
			"546573742057697468205472756e636174696f6e56461ef2342edc00f9bab995",
		.verdict = KIPSEC_A_STATS_IN_BAD_PADDING,
	},
};

static void esp_kat_desc(const struct esp_kat *v, char *desc)
{
	strscpy(desc, v->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(esp_kat, esp_kats, esp_kat_desc);

/* Key of @name's length: @hex, zero-padded. */
static const u8 *kat_key(struct kunit *test, const char *name,
			 const char *hexkey, unsigned int *len)
{
	const struct kipsec_alg *alg = kipsec_alg_find(name);
	unsigned int n = 0;
	const u8 *key;
	u8 *buf;

	KUNIT_ASSERT_NOT_NULL(test, alg);
	*len = alg->key_len;
	buf = kunit_kzalloc(test, KIPSEC_KEY_MAX_LEN, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	if (hexkey) {
		key = kt_from_hex(test, hexkey, &n);
		KUNIT_ASSERT_LE(test, n, *len);
		memcpy(buf, key, n);
	}
	return buf;
}

static struct kipsec_sa *kat_sa(struct kunit *test, const struct esp_kat *v,
				u16 family)
{
	struct kt_pair *t = test->priv;
	struct kipsec_sa_config cfg;
	struct kipsec_sa *sa;

	sa_addrs(&cfg, family, v->sa_spi ?: v->spi);
	cfg.flags = v->flags;
	if (v->enc) {
		cfg.enc_name = v->enc;
		cfg.enc_key = kat_key(test, v->enc, v->enc_key,
				      &cfg.enc_key_len);
		if (!cfg.enc_key_len)
			cfg.enc_key = NULL;
	}
	if (v->auth) {
		cfg.auth_name = v->auth;
		cfg.auth_key = kat_key(test, v->auth, v->auth_key,
				       &cfg.auth_key_len);
	}
	sa = kt_sa_install(test, t->rx, &cfg);
	/* The receiver has seen the one before: it infers the high half. */
	if (v->flags & KIPSEC_SA_F_ESN)
		kt_set_replay_top(sa, v->seq - 1);
	return sa;
}

static enum kt_layout kat_layout(const struct esp_kat *v)
{
	return v->family == AF_INET6 ? L_V6 : L_V4;
}

static void esp_decode_published(struct kunit *test)
{
	const struct esp_kat *v = test->param_value;
	enum kt_layout l = kat_layout(v);
	unsigned int esp_len, pkt_len, inner_len, want_len, got_len;
	const u8 *esp, *pkt, *inner, *want, *got;
	struct kipsec_sa *sa;
	struct sk_buff *skb;
	enum kipsec_stats_attr verdict;

	sa = kat_sa(test, v, kt_layout_family(l));
	esp = kt_from_hex(test, v->packet, &esp_len);
	pkt = kt_build_packet(test, l, IPPROTO_ESP, esp, esp_len, &pkt_len);
	skb = kt_make_skb(test, pkt, pkt_len, kt_layout_family(l), SHAPE_LINEAR, 0);

	verdict = esp_in(test, &skb, sa, l);

	KUNIT_ASSERT_EQ(test, verdict, v->verdict);
	KUNIT_EXPECT_EQ(test, kt_replay_top(sa), v->seq);
	if (verdict)
		return;
	inner = kt_from_hex(test, v->inner, &inner_len);
	want = kt_build_packet(test, l, v->next_header, inner, inner_len,
			       &want_len);
	got = kt_skb_bytes(test, skb, &got_len);
	kt_expect_bytes(test, "decrypted packet", got, got_len, want, want_len);
	KUNIT_EXPECT_EQ(test, kt_sa_packets(sa), 1ULL);
	kfree_skb(skb);
}

/* ---- published packets, changed ---- */

struct esp_reject {
	const char *name;
	const char *kat;	/* the packet changed, by its name */
	int flip;		/* this byte of the ESP packet gets bit 0 */
	int len;		/* bytes of the ESP packet kept, -1: all */
	bool extra;		/* one byte more */
	enum kipsec_stats_attr verdict;
	bool then_original;	/* the original still passes afterwards */
};

#define GCM_42 "mcgrew aes-128-gcm spi a5f8 len 96"
#define CHACHA "RFC 7634 appendix A chacha20-poly1305"
#define CBC_5 "RFC 3602 case 5 aes-128-cbc"
#define GMAC_7 "mcgrew aes-128-gmac spi 4321 len 84"

#define FLIP(_name, _kat, _byte, _verdict, _then)			\
	{ _name, _kat, _byte, -1, false, _verdict, _then }
#define CUT(_name, _kat, _len)						\
	{ _name, _kat, -1, _len, false, KIPSEC_A_STATS_IN_BAD_LENGTH, true }

/*
 * mcgrew 4.2: SPI 0-3, seq 4-7, IV 8-15, ciphertext 16-79, ICV 80-95.
 * RFC 7634: IV 8-15, ciphertext 16-103, ICV 104-119.  RFC 3602 case 5:
 * IV 8-23, ciphertext 24-103, no ICV, so a flip in the last block but
 * one shows in the decrypted trailer.  GMAC: payload 16-67 in clear.
 */
static const struct esp_reject esp_rejects[] = {
	FLIP("ICV last byte", GCM_42, 95, KIPSEC_A_STATS_IN_ICV_FAIL, true),
	FLIP("ICV first byte", GCM_42, 80, KIPSEC_A_STATS_IN_ICV_FAIL, true),
	FLIP("ciphertext", GCM_42, 20, KIPSEC_A_STATS_IN_ICV_FAIL, true),
	FLIP("encrypted trailer", GCM_42, 79, KIPSEC_A_STATS_IN_ICV_FAIL,
	     true),
	FLIP("IV", GCM_42, 10, KIPSEC_A_STATS_IN_ICV_FAIL, true),
	FLIP("SPI", GCM_42, 3, KIPSEC_A_STATS_IN_ICV_FAIL, true),
	FLIP("sequence number", GCM_42, 7, KIPSEC_A_STATS_IN_ICV_FAIL, true),
	FLIP("chacha20 ICV", CHACHA, 119, KIPSEC_A_STATS_IN_ICV_FAIL, true),
	FLIP("chacha20 IV", CHACHA, 8, KIPSEC_A_STATS_IN_ICV_FAIL, true),
	FLIP("chacha20 ciphertext", CHACHA, 16, KIPSEC_A_STATS_IN_ICV_FAIL,
	     true),
	FLIP("GMAC payload in clear", GMAC_7, 30, KIPSEC_A_STATS_IN_ICV_FAIL,
	     true),
	FLIP("GMAC IV", GMAC_7, 15, KIPSEC_A_STATS_IN_ICV_FAIL, true),
	CUT("nothing after the IP header", GCM_42, 0),
	CUT("half an ESP header", GCM_42, 4),
	CUT("ESP header only", GCM_42, 8),
	CUT("header, IV and ICV only", GCM_42, 32),
	CUT("one byte short", GCM_42, 95),
	{ "one byte too many", GCM_42, -1, -1, true,
	  KIPSEC_A_STATS_IN_BAD_LENGTH, true },
	CUT("CBC one byte short", CBC_5, 103),
	CUT("CBC half a block short", CBC_5, 96),
	FLIP("CBC pad length", CBC_5, 104 - 16 - 2,
	     KIPSEC_A_STATS_IN_BAD_PADDING, false),
	FLIP("CBC last pad byte", CBC_5, 104 - 16 - 3,
	     KIPSEC_A_STATS_IN_BAD_PADDING, false),
};

static void esp_reject_desc(const struct esp_reject *r, char *desc)
{
	strscpy(desc, r->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(esp_reject, esp_rejects, esp_reject_desc);

static const struct esp_kat *find_kat(struct kunit *test, const char *name)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(esp_kats); i++)
		if (!strcmp(esp_kats[i].name, name))
			return &esp_kats[i];
	KUNIT_ASSERT_FAILURE(test, "no vector %s", name);
	return NULL;
}

/* @esp in an IPv4 packet to @sa: the verdict, the packet freed. */
static enum kipsec_stats_attr
decode_v4(struct kunit *test, struct kipsec_sa *sa, const u8 *esp,
	  unsigned int len)
{
	struct sk_buff *skb;
	enum kipsec_stats_attr verdict;
	unsigned int pkt_len;
	const u8 *pkt;

	pkt = kt_build_packet(test, L_V4, IPPROTO_ESP, esp, len, &pkt_len);
	skb = kt_make_skb(test, pkt, pkt_len, AF_INET, SHAPE_LINEAR, 0);
	verdict = esp_in(test, &skb, sa, L_V4);
	kfree_skb(skb);
	return verdict;
}

static void esp_decode_rejected(struct kunit *test)
{
	const struct esp_reject *r = test->param_value;
	const struct esp_kat *v = find_kat(test, r->kat);
	unsigned int len, bad_len;
	struct kipsec_sa *sa;
	u8 *esp, *bad;

	sa = kat_sa(test, v, AF_INET);
	esp = kt_from_hex(test, v->packet, &len);
	bad = kunit_kzalloc(test, len + 1, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, bad);
	memcpy(bad, esp, len);
	if (r->flip >= 0)
		bad[r->flip] ^= 1;
	bad_len = r->len >= 0 ? r->len : len + r->extra;

	KUNIT_EXPECT_EQ(test, decode_v4(test, sa, bad, bad_len), r->verdict);

	if (!r->then_original)
		return;
	KUNIT_EXPECT_EQ(test, kt_replay_top(sa), 0ULL);
	KUNIT_EXPECT_EQ(test, kt_sa_packets(sa), 0ULL);
	KUNIT_EXPECT_EQ(test, decode_v4(test, sa, esp, len), KIPSEC_DROP_NONE);
}

static const char * const replayed_kats[] = { GCM_42, CHACHA, CBC_5, GMAC_7 };

static void replayed_desc(const char * const *name, char *desc)
{
	strscpy(desc, *name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(replayed, replayed_kats, replayed_desc);

static void esp_decode_replayed(struct kunit *test)
{
	const struct esp_kat *v = find_kat(test, *(const char **)
					   test->param_value);
	struct kipsec_sa *sa = kat_sa(test, v, AF_INET);
	unsigned int len;
	const u8 *esp = kt_from_hex(test, v->packet, &len);

	KUNIT_EXPECT_EQ(test, decode_v4(test, sa, esp, len), KIPSEC_DROP_NONE);
	KUNIT_EXPECT_EQ(test, decode_v4(test, sa, esp, len),
			KIPSEC_A_STATS_IN_REPLAY);
	KUNIT_EXPECT_EQ(test, kt_sa_packets(sa), 1ULL);
}

/* ---- the test's own transform ---- */

/*
 * What an SA of each kind must put on the wire (RFC 4106, 7634, 4543,
 * 3602 with 4868, 2410 with 2404, 2451 with 2403), and the bare crypto
 * API transform that reads and writes such packets without any of the
 * module's code: AAD = SPI | seq | IV, IV also given as the request's.
 */
struct esp_alg {
	const char *name;
	const char *enc, *auth;
	const char *ref;
	bool authenc;
	u8 iv, icv, blk;
	bool seqiv;	/* IV = sequence number ^ per-transform salt */
};

enum { A_GCM, A_CHACHA, A_GMAC, A_CBC, A_NULL, A_3DES, A_GCM256 };

static const struct esp_alg esp_algs[] = {
	[A_GCM] = { "aes-128-gcm", "aes-128-gcm", NULL,
		    "rfc4106(gcm(aes))", false, 8, 16, 4, true },
	[A_CHACHA] = { "chacha20-poly1305", "chacha20-poly1305", NULL,
		       "rfc7539esp(chacha20,poly1305)", false, 8, 16, 4,
		       true },
	[A_GMAC] = { "aes-128-gmac", NULL, "aes-128-gmac",
		     "rfc4543(gcm(aes))", false, 8, 16, 4, true },
	[A_CBC] = { "aes-128-cbc+hmac-sha2-256", "aes-128-cbc",
		    "hmac-sha2-256", "authenc(hmac(sha256),cbc(aes))", true,
		    16, 16, 16, false },
	[A_NULL] = { "null+hmac-sha1", "null", "hmac-sha1",
		     "authenc(hmac(sha1),ecb(cipher_null))", true, 0, 12, 4,
		     false },
	[A_3DES] = { "3des-cbc+hmac-md5", "3des-cbc", "hmac-md5",
		     "authenc(hmac(md5),cbc(des3_ede))", true, 8, 12, 8,
		     false },
	[A_GCM256] = { "aes-256-gcm", "aes-256-gcm", NULL,
		       "rfc4106(gcm(aes))", false, 8, 16, 4, true },
};

/* Both keys of an SA: enc key first, auth key KIPSEC_KEY_MAX_LEN on. */
struct esp_keys {
	u8 enc[KIPSEC_KEY_MAX_LEN];
	u8 auth[KIPSEC_KEY_MAX_LEN];
	unsigned int enc_len, auth_len;
};

static struct esp_keys *make_keys(struct kunit *test, const struct esp_alg *a,
				  u8 seed)
{
	struct esp_keys *k = kunit_kzalloc(test, sizeof(*k), GFP_KERNEL);
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, k);
	if (a->enc)
		k->enc_len = kipsec_alg_find(a->enc)->key_len;
	if (a->auth)
		k->auth_len = kipsec_alg_find(a->auth)->key_len;
	for (i = 0; i < KIPSEC_KEY_MAX_LEN; i++) {
		k->enc[i] = seed + i * 13;
		k->auth[i] = seed + i * 29 + 7;
	}
	return k;
}

static void alg_cfg(struct kipsec_sa_config *cfg, const struct esp_alg *a,
		    const struct esp_keys *k, u16 family, u32 spi)
{
	sa_addrs(cfg, family, spi);
	if (a->enc) {
		cfg->enc_name = a->enc;
		cfg->enc_key = k->enc_len ? k->enc : NULL;
		cfg->enc_key_len = k->enc_len;
	}
	if (a->auth) {
		cfg->auth_name = a->auth;
		cfg->auth_key = k->auth;
		cfg->auth_key_len = k->auth_len;
	}
}

/* crypto/authenc.c's key: an rtattr with the cipher key's length. */
static int ref_setkey(struct kunit *test, struct crypto_aead *tfm,
		      const struct esp_alg *a, const struct esp_keys *k)
{
	struct crypto_authenc_key_param *param;
	struct rtattr *rta;
	unsigned int len;
	u8 *blob;

	if (!a->authenc)
		return crypto_aead_setkey(tfm, a->enc ? k->enc : k->auth,
					  a->enc ? k->enc_len : k->auth_len);
	len = RTA_SPACE(sizeof(*param)) + k->auth_len + k->enc_len;
	blob = kunit_kzalloc(test, len, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, blob);
	rta = (struct rtattr *)blob;
	rta->rta_type = CRYPTO_AUTHENC_KEYA_PARAM;
	rta->rta_len = RTA_LENGTH(sizeof(*param));
	param = RTA_DATA(rta);
	param->enckeylen = cpu_to_be32(k->enc_len);
	memcpy(blob + RTA_SPACE(sizeof(*param)), k->auth, k->auth_len);
	memcpy(blob + RTA_SPACE(sizeof(*param)) + k->auth_len, k->enc,
	       k->enc_len);
	return crypto_aead_setkey(tfm, blob, len);
}

/*
 * Encrypts or decrypts in place the ESP packet @esp of @len bytes, ICV
 * included (to encrypt: room for it), 32-bit sequence numbers.
 */
static int ref_crypt(struct kunit *test, const struct esp_alg *a,
		     const struct esp_keys *k, u8 *esp, unsigned int len,
		     bool encrypt)
{
	unsigned int text = len - ESP_HLEN - a->iv - a->icv;
	DECLARE_CRYPTO_WAIT(wait);
	struct aead_request *req;
	struct crypto_aead *tfm;
	struct scatterlist sg;
	u8 iv[16];
	int ret;

	tfm = crypto_alloc_aead(a->ref, 0, 0);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, tfm);
	ret = ref_setkey(test, tfm, a, k) ?:
	      crypto_aead_setauthsize(tfm, a->icv);
	if (ret)
		goto out_free_tfm;
	ret = -ENOMEM;
	req = aead_request_alloc(tfm, GFP_KERNEL);
	if (!req)
		goto out_free_tfm;

	memcpy(iv, esp + ESP_HLEN, a->iv);
	sg_init_one(&sg, esp, len);
	aead_request_set_callback(req, CRYPTO_TFM_REQ_MAY_SLEEP |
				  CRYPTO_TFM_REQ_MAY_BACKLOG,
				  crypto_req_done, &wait);
	aead_request_set_ad(req, ESP_HLEN + a->iv);
	aead_request_set_crypt(req, &sg, &sg, text + (encrypt ? 0 : a->icv),
			       iv);
	ret = crypto_wait_req(encrypt ? crypto_aead_encrypt(req) :
				       crypto_aead_decrypt(req), &wait);
	aead_request_free(req);
out_free_tfm:
	crypto_free_aead(tfm);
	return ret;
}

/*
 * An ESP packet with @text (payload and trailer) as its plaintext, the
 * IV derived from @seq: the test's encoder, independent of the module's.
 */
static u8 *craft(struct kunit *test, const struct esp_alg *a,
		 const struct esp_keys *k, u32 spi, u32 seq,
		 const u8 *text, unsigned int text_len, unsigned int *len)
{
	u8 *esp;

	*len = ESP_HLEN + a->iv + text_len + a->icv;
	esp = kunit_kzalloc(test, *len, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, esp);
	put_unaligned_be32(spi, esp);
	put_unaligned_be32(seq, esp + 4);
	memset(esp + ESP_HLEN, 0xa5, a->iv);
	if (a->iv >= 4)
		put_unaligned_be32(seq, esp + ESP_HLEN + a->iv - 4);
	memcpy(esp + ESP_HLEN + a->iv, text, text_len);
	KUNIT_ASSERT_EQ(test, ref_crypt(test, a, k, esp, *len, true), 0);
	return esp;
}

/* ---- crafted packets: the trailer ---- */

struct esp_trailer {
	const char *name;
	const char *text;	/* hex: payload | padding | pad length | nh */
	bool pad255;		/* or: "aabbcc", pad 1..255, 255, 17 */
	bool pad255_bad;	/* ... with the last pad byte wrong */
	enum kipsec_stats_attr verdict;
	const char *inner;
	u8 next_header;
};

static const struct esp_trailer esp_trailers[] = {
	{ "one payload byte, one pad byte", "aa010111", false, false,
	  KIPSEC_DROP_NONE, "aa", IPPROTO_UDP },
	{ "no padding", "aabb0006", false, false, KIPSEC_DROP_NONE, "aabb",
	  IPPROTO_TCP },
	{ "255 pad bytes", NULL, true, false, KIPSEC_DROP_NONE, "aabbcc",
	  IPPROTO_UDP },
	{ "255 pad bytes, the last one wrong", NULL, true, true,
	  KIPSEC_A_STATS_IN_BAD_PADDING },
	{ "pad bytes out of order", "aabbccdd02010211", false, false,
	  KIPSEC_A_STATS_IN_BAD_PADDING },
	{ "pad bytes zero", "aabbccdd00000211", false, false,
	  KIPSEC_A_STATS_IN_BAD_PADDING },
	{ "pad length one past the payload", "aabb0311", false, false,
	  KIPSEC_A_STATS_IN_BAD_PADDING },
	{ "pad length 255, payload 6", "aabbccddeeffff11", false, false,
	  KIPSEC_A_STATS_IN_BAD_PADDING },
	{ "padding only, no payload", "01020211", false, false,
	  KIPSEC_A_STATS_IN_BAD_LENGTH },
	{ "dummy packet (next header 59)", "aabb003b", false, false,
	  KIPSEC_DROP_SILENT },
};

static void esp_trailer_desc(const struct esp_trailer *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(esp_trailer, esp_trailers, esp_trailer_desc);

static u8 *trailer_text(struct kunit *test, const struct esp_trailer *c,
			unsigned int *len)
{
	unsigned int i;
	u8 *text;

	if (!c->pad255)
		return kt_from_hex(test, c->text, len);
	*len = 3 + 255 + 2;
	text = kunit_kzalloc(test, *len, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, text);
	memcpy(text, "\xaa\xbb\xcc", 3);
	for (i = 1; i <= 255; i++)
		text[2 + i] = i;
	if (c->pad255_bad)
		text[2 + 255] = 0;
	text[3 + 255] = 255;
	text[3 + 255 + 1] = IPPROTO_UDP;
	return text;
}

static void esp_decode_trailer(struct kunit *test)
{
	const struct esp_trailer *c = test->param_value;
	const struct esp_alg *a = &esp_algs[A_GCM];
	struct esp_keys *k = make_keys(test, a, 1);
	struct kt_pair *t = test->priv;
	unsigned int text_len, esp_len, pkt_len, got_len, inner_len, want_len;
	const u8 *text, *esp, *pkt, *got, *inner, *want;
	struct kipsec_sa_config cfg;
	struct kipsec_sa *sa;
	struct sk_buff *skb;
	enum kipsec_stats_attr verdict;

	alg_cfg(&cfg, a, k, AF_INET, 0x2000);
	sa = kt_sa_install(test, t->rx, &cfg);
	text = trailer_text(test, c, &text_len);
	esp = craft(test, a, k, 0x2000, 1, text, text_len, &esp_len);
	pkt = kt_build_packet(test, L_V4, IPPROTO_ESP, esp, esp_len, &pkt_len);
	skb = kt_make_skb(test, pkt, pkt_len, AF_INET, SHAPE_LINEAR, 0);

	verdict = esp_in(test, &skb, sa, L_V4);

	KUNIT_ASSERT_EQ(test, verdict, c->verdict);
	if (verdict)
		return;
	inner = kt_from_hex(test, c->inner, &inner_len);
	want = kt_build_packet(test, L_V4, c->next_header, inner, inner_len,
			       &want_len);
	got = kt_skb_bytes(test, skb, &got_len);
	kt_expect_bytes(test, "decrypted packet", got, got_len, want, want_len);
	kfree_skb(skb);
}

/* ---- crafted packets: the window ---- */

struct esp_window_step {
	u32 seq;
	bool bad_icv;
	enum kipsec_stats_attr verdict;
};

struct esp_window {
	const char *name;
	u32 window;
	const struct esp_window_step *steps;
	unsigned int n;
};

#define OK KIPSEC_DROP_NONE
#define REPLAY KIPSEC_A_STATS_IN_REPLAY
#define ICV KIPSEC_A_STATS_IN_ICV_FAIL
#define WSTEPS(...)							\
	.steps = (const struct esp_window_step[]){ __VA_ARGS__ },	\
	.n = sizeof((const struct esp_window_step[]){ __VA_ARGS__ }) /	\
	     sizeof(struct esp_window_step)

/* Only authenticated packets move the window (RFC 4303 3.4.3). */
static const struct esp_window esp_windows[] = {
	{ "128", 128,
	  WSTEPS({ 1000, false, OK }, { 1000, false, REPLAY },
		 { 873, false, OK }, { 872, false, REPLAY },
		 { 999, true, ICV }, { 999, false, OK },
		 { 999, false, REPLAY }, { 0, false, REPLAY },
		 { 5000, true, ICV }, { 1001, false, OK },
		 { 5000, false, OK }, { 1000, false, REPLAY },
		 { 4873, false, OK }) },
	/* As XFRM: a window of 0 turns anti-replay off. */
	{ "0", 0,
	  WSTEPS({ 5, false, OK }, { 5, false, OK }, { 4, false, OK },
		 { 7, true, ICV }, { 7, false, OK }, { 6, false, OK }) },
	{ "4096", 4096,
	  WSTEPS({ 10000, false, OK }, { 5905, false, OK },
		 { 5904, false, REPLAY }, { 10000, false, REPLAY },
		 { 9999, false, OK }) },
};

#undef OK
#undef REPLAY
#undef ICV

static void esp_window_desc(const struct esp_window *w, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "window %s", w->name);
}

KUNIT_ARRAY_PARAM(esp_window, esp_windows, esp_window_desc);

static void esp_decode_window(struct kunit *test)
{
	static const u8 text[] = { 0xaa, 0xbb, 0, IPPROTO_UDP };
	const struct esp_window *w = test->param_value;
	const struct esp_alg *a = &esp_algs[A_GCM];
	struct esp_keys *k = make_keys(test, a, 2);
	struct kt_pair *t = test->priv;
	struct kipsec_sa_config cfg;
	struct kipsec_sa *sa;
	unsigned int i, len;
	u64 accepted = 0;
	u8 *esp;

	alg_cfg(&cfg, a, k, AF_INET, 0x2000);
	cfg.replay_window = w->window;
	sa = kt_sa_install(test, t->rx, &cfg);

	for (i = 0; i < w->n; i++) {
		const struct esp_window_step *s = &w->steps[i];

		esp = craft(test, a, k, 0x2000, s->seq, text, sizeof(text),
			    &len);
		if (s->bad_icv)
			esp[len - 1] ^= 0x80;
		KUNIT_EXPECT_EQ_MSG(test, decode_v4(test, sa, esp, len),
				    s->verdict, "step %u, seq %u", i, s->seq);
		accepted += s->verdict == KIPSEC_DROP_NONE;
	}

	KUNIT_EXPECT_EQ(test, kt_sa_packets(sa), accepted);
}

/* ---- round trips ---- */

/* Protects @orig through @sa: the packet on the wire. */
static u8 *protect(struct kunit *test, struct kipsec_sa *sa, enum kt_layout l,
		   enum skb_shape shape, const u8 *orig, unsigned int orig_len,
		   unsigned int *len)
{
	enum kipsec_stats_attr verdict;
	struct sk_buff *skb, *clone;

	skb = kt_make_skb(test, orig, orig_len, kt_layout_family(l), shape,
			  kt_layout_hlen(l) + sizeof(struct udphdr));
	clone = kt_clone(test, skb, shape);

	verdict = esp_out(test, &skb, sa, l);

	kt_check_clone(test, clone, "the clone after output", orig, orig_len);
	KUNIT_ASSERT_EQ(test, verdict, KIPSEC_DROP_NONE);
	return kt_skb_take(test, skb, len);
}

/* Takes @esp_pkt in through @sa: the verdict, *@back what came out. */
static enum kipsec_stats_attr
unprotect(struct kunit *test, struct kipsec_sa *sa, enum kt_layout l,
	  enum skb_shape shape, const u8 *esp_pkt, unsigned int esp_len,
	  u8 **back, unsigned int *back_len)
{
	const struct kipsec_alg *enc = sa->enc ?: sa->auth;
	enum kipsec_stats_attr verdict;
	struct sk_buff *skb, *clone;

	skb = kt_make_skb(test, esp_pkt, esp_len, kt_layout_family(l), shape,
			  kt_layout_hlen(l) + ESP_HLEN + enc->iv_len);
	clone = kt_clone(test, skb, shape);

	verdict = esp_in(test, &skb, sa, l);

	kt_check_clone(test, clone, "the clone after input", esp_pkt, esp_len);
	*back = NULL;
	*back_len = 0;
	if (!verdict)
		*back = kt_skb_take(test, skb, back_len);
	return verdict;
}

static void round_trip(struct kunit *test, struct kipsec_sa *rx,
		       enum kt_layout l, enum skb_shape shape,
		       const u8 *out, unsigned int out_len,
		       const u8 *orig, unsigned int orig_len)
{
	unsigned int back_len;
	u8 *back;

	KUNIT_ASSERT_EQ(test, unprotect(test, rx, l, shape, out, out_len,
					&back, &back_len),
			KIPSEC_DROP_NONE);
	kt_expect_bytes(test, "the packet after the round trip", back, back_len,
			orig, orig_len);
}

/*
 * The wire format of RFC 4303 transport mode, read with the test's own
 * transform: IP header(s) as they were but for length and protocol, ESP
 * header, IV, the payload and trailer (padding 1, 2, 3, ..., RFC 4303
 * 2.4), ICV.
 */
static void check_wire(struct kunit *test, const struct esp_alg *a,
		       const struct esp_keys *k, enum kt_layout l, u32 spi,
		       u32 seq, const u8 *orig, unsigned int orig_len,
		       const u8 *out, unsigned int out_len)
{
	unsigned int hlen = kt_layout_hlen(l), payload = orig_len - hlen;
	unsigned int clen = ALIGN(payload + 2, a->blk);
	unsigned int pad = clen - payload - 2, i;
	u8 hdr[48], *esp, *text;

	KUNIT_ASSERT_EQ_MSG(test, out_len,
			    hlen + ESP_HLEN + a->iv + clen + a->icv,
			    "%u payload bytes", payload);
	kt_build_ip(hdr, l, IPPROTO_ESP, out_len - hlen);
	kt_expect_bytes(test, "outer header", out, hlen, hdr, hlen);
	KUNIT_EXPECT_EQ(test, get_unaligned_be32(out + hlen), spi);
	KUNIT_EXPECT_EQ(test, get_unaligned_be32(out + hlen + 4), seq);

	esp = kunit_kzalloc(test, out_len - hlen, GFP_KERNEL);
	text = kunit_kzalloc(test, clen, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, esp);
	KUNIT_ASSERT_NOT_NULL(test, text);
	memcpy(esp, out + hlen, out_len - hlen);
	KUNIT_ASSERT_EQ_MSG(test, ref_crypt(test, a, k, esp, out_len - hlen,
					    false), 0,
			    "%s does not authenticate the packet", a->ref);
	memcpy(text, orig + hlen, payload);
	for (i = 0; i < pad; i++)
		text[payload + i] = i + 1;
	text[clen - 2] = pad;
	text[clen - 1] = IPPROTO_UDP;
	kt_expect_bytes(test, "plaintext and trailer", esp + ESP_HLEN + a->iv,
			clen, text, clen);
}

struct esp_rt {
	unsigned int alg;
	enum kt_layout layout;
	enum skb_shape shape;
};

static const struct esp_rt esp_rts[] = {
	{ A_GCM, L_V4 }, { A_GCM, L_V6 }, { A_GCM256, L_V4 },
	{ A_CHACHA, L_V4 }, { A_CHACHA, L_V6 },
	{ A_GMAC, L_V4 }, { A_GMAC, L_V6 },
	{ A_CBC, L_V4 }, { A_CBC, L_V6 },
	{ A_NULL, L_V4 }, { A_NULL, L_V6 },
	{ A_3DES, L_V4 }, { A_3DES, L_V6 },
	{ A_GCM, L_V4_OPT }, { A_GCM, L_V6_HBH },
	{ A_CBC, L_V4_OPT }, { A_CBC, L_V6_HBH },
	{ A_GCM, L_V4, SHAPE_NO_HEADROOM }, { A_CBC, L_V6, SHAPE_NO_HEADROOM },
	{ A_GCM, L_V4, SHAPE_CLONED }, { A_CBC, L_V6, SHAPE_CLONED },
	{ A_NULL, L_V4, SHAPE_CLONED },
	{ A_GCM, L_V4, SHAPE_PAGED }, { A_CBC, L_V4, SHAPE_PAGED },
	{ A_CHACHA, L_V6_HBH, SHAPE_PAGED },
};

static void esp_rt_desc(const struct esp_rt *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s %s%s",
		 esp_algs[c->alg].name, kt_layout_names[c->layout],
		 kt_shape_names[c->shape]);
}

KUNIT_ARRAY_PARAM(esp_rt, esp_rts, esp_rt_desc);

/* UDP data lengths: every padding length a block size of 16 allows. */
static const unsigned int rt_lens[] = { 0, 1, 2, 3, 4, 5, 6, 7, 45 };

static void esp_round_trip(struct kunit *test)
{
	const struct esp_rt *c = test->param_value;
	const struct esp_alg *a = &esp_algs[c->alg];
	struct esp_keys *k = make_keys(test, a, 3);
	struct kt_pair *t = test->priv;
	unsigned int i, orig_len, out_len;
	struct kipsec_sa_config cfg;
	struct kipsec_sa *tx, *rx;
	const u8 *orig, *out;

	alg_cfg(&cfg, a, k, kt_layout_family(c->layout), 0x3000);
	tx = kt_sa_install(test, t->tx, &cfg);
	rx = kt_sa_install(test, t->rx, &cfg);

	for (i = 0; i < ARRAY_SIZE(rt_lens); i++) {
		orig = kt_build_udp(test, c->layout, rt_lens[i], i, &orig_len);

		out = protect(test, tx, c->layout, c->shape, orig, orig_len,
			      &out_len);

		check_wire(test, a, k, c->layout, 0x3000, i + 1, orig,
			   orig_len, out, out_len);
		round_trip(test, rx, c->layout, c->shape, out, out_len, orig,
			   orig_len);
	}
	KUNIT_EXPECT_EQ(test, kt_sa_seq(tx), (u64)i);
	KUNIT_EXPECT_EQ(test, kt_sa_packets(tx), (u64)i);
	KUNIT_EXPECT_EQ(test, kt_sa_packets(rx), (u64)i);
	KUNIT_EXPECT_EQ(test, kt_replay_top(rx), (u64)i);
}

/* ---- IVs ---- */

static const unsigned int iv_algs[] = {
	A_GCM, A_CHACHA, A_GMAC, A_CBC, A_3DES,
};

static const unsigned int all_algs[] = {
	A_GCM, A_CHACHA, A_GMAC, A_CBC, A_NULL, A_3DES, A_GCM256,
};

static void alg_desc(const unsigned int *alg, char *desc)
{
	strscpy(desc, esp_algs[*alg].name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(iv_alg, iv_algs, alg_desc);
KUNIT_ARRAY_PARAM(all_alg, all_algs, alg_desc);

static const u8 *iv_of(const u8 *out)
{
	return out + kt_layout_hlen(L_V4) + ESP_HLEN;
}

/*
 * An IV never repeats under a key: not from one packet to the next, not
 * between two SAs that share a key and start at the same number.  With
 * seqiv the IV is the sequence number XOR a random salt, so the module
 * must hand the generator the sequence number (esp4.c's request).
 */
static void esp_iv_unique(struct kunit *test)
{
	const struct esp_alg *a = &esp_algs[*(unsigned int *)test->param_value];
	struct esp_keys *k = make_keys(test, a, 4);
	struct kt_pair *t = test->priv;
	const u8 *orig, *p1, *p2, *q1;
	unsigned int orig_len, len, i;
	struct kipsec_sa_config cfg;
	struct kipsec_sa *tx1, *tx2;
	u8 x[16];

	alg_cfg(&cfg, a, k, AF_INET, 0x4000);
	tx1 = kt_sa_install(test, t->tx, &cfg);
	cfg.spi = 0x4001;
	tx2 = kt_sa_install(test, t->tx, &cfg);
	orig = kt_build_udp(test, L_V4, 20, 0, &orig_len);

	p1 = protect(test, tx1, L_V4, SHAPE_LINEAR, orig, orig_len, &len);
	p2 = protect(test, tx1, L_V4, SHAPE_LINEAR, orig, orig_len, &len);
	q1 = protect(test, tx2, L_V4, SHAPE_LINEAR, orig, orig_len, &len);

	KUNIT_EXPECT_NE_MSG(test, memcmp(iv_of(p1), iv_of(p2), a->iv), 0,
			    "one SA, packets 1 and 2");
	KUNIT_EXPECT_NE_MSG(test, memcmp(iv_of(p1), iv_of(q1), a->iv), 0,
			    "two SAs, one key, packet 1 each");
	if (!a->seqiv)
		return;
	for (i = 0; i < a->iv; i++)
		x[i] = iv_of(p1)[i] ^ iv_of(p2)[i];
	kt_expect_bytes(test, "IV 1 ^ IV 2", x, a->iv,
			"\0\0\0\0\0\0\0\x03", 8);
}

/* ---- extended sequence numbers ---- */

static const unsigned int esn_algs[] = {
	A_GCM, A_CHACHA, A_GMAC, A_CBC, A_NULL, A_3DES,
};

KUNIT_ARRAY_PARAM(esn_alg, esn_algs, alg_desc);

/*
 * Across 2^32: the wire carries the low half, the ICV covers both
 * (RFC 4303 2.2.1), the receiver infers the high half.
 */
static void esp_esn_round_trip(struct kunit *test)
{
	const struct esp_alg *a = &esp_algs[*(unsigned int *)test->param_value];
	struct esp_keys *k = make_keys(test, a, 5);
	struct kt_pair *t = test->priv;
	unsigned int i, orig_len, out_len;
	struct kipsec_sa_config cfg;
	struct kipsec_sa *tx, *rx, *lost;
	const u8 *orig, *out = NULL;
	u8 ivs[4][16], x[16];
	u64 seq;

	alg_cfg(&cfg, a, k, AF_INET, 0x5000);
	cfg.flags = KIPSEC_SA_F_ESN;
	rx = kt_sa_install(test, t->rx, &cfg);
	kt_set_replay_top(rx, 0xfffffffd);
	cfg.has_seq = true;
	cfg.seq = 0xfffffffd;
	tx = kt_sa_install(test, t->tx, &cfg);

	for (i = 0; i < 4; i++) {
		seq = 0xfffffffeULL + i;
		orig = kt_build_udp(test, L_V4, 10 + i, i, &orig_len);

		out = protect(test, tx, L_V4, SHAPE_LINEAR, orig, orig_len,
			      &out_len);

		KUNIT_EXPECT_EQ(test, get_unaligned_be32(out + 24),
				lower_32_bits(seq));
		memcpy(ivs[i], iv_of(out), a->iv);
		round_trip(test, rx, L_V4, SHAPE_LINEAR, out, out_len, orig,
			   orig_len);
		KUNIT_EXPECT_EQ(test, kt_replay_top(rx), seq);
	}
	KUNIT_EXPECT_EQ(test, kt_sa_seq(tx), 0x100000001ULL);

	if (a->seqiv) {
		for (i = 0; i < a->iv; i++)
			x[i] = ivs[1][i] ^ ivs[2][i];
		kt_expect_bytes(test, "IV of 2^32 - 1 ^ IV of 2^32", x, a->iv,
				"\0\0\0\x01\xff\xff\xff\xff", 8);
	}

	/*
	 * Receivers that infer another high half: the ICV fails.  The SPI
	 * is not theirs, but the caller chose the SA, and the ICV covers
	 * the packet's own SPI.
	 */
	cfg.has_seq = false;
	cfg.spi = 0x5001;
	lost = kt_sa_install(test, t->rx, &cfg);
	kt_set_replay_top(lost, 0x300000000ULL);
	KUNIT_EXPECT_EQ(test, decode_v4(test, lost, out + 20, out_len - 20),
			KIPSEC_A_STATS_IN_ICV_FAIL);
	cfg.spi = 0x5002;
	lost = kt_sa_install(test, t->rx, &cfg);
	kt_set_replay_top(lost, 0x100000000ULL);
	KUNIT_EXPECT_EQ(test, decode_v4(test, lost, out + 20, out_len - 20),
			KIPSEC_DROP_NONE);
}

/* ---- asynchronous crypto ---- */

/*
 * Puts the SA's transform behind cryptd, so that every request completes
 * later, in cryptd's worker: the path of a crypto accelerator or of a
 * busy SIMD unit.  cryptd wraps only synchronous transforms and names
 * its instance after the driver name of what it wraps, so it gets that
 * of a synchronous instance of the same algorithm.  The SA frees the
 * cryptd transform as its own (for a single user cryptd_free_aead() is
 * crypto_free_aead()).
 */
static void make_async(struct kunit *test, struct kipsec_sa *sa,
		       const struct esp_alg *a, const struct esp_keys *k)
{
	struct crypto_aead *old = sa->xform.aead, *sync;
	char driver[CRYPTO_MAX_ALG_NAME];
	struct cryptd_aead *c;

	sync = crypto_alloc_aead(crypto_tfm_alg_name(crypto_aead_tfm(old)), 0,
				 CRYPTO_ALG_ASYNC);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, sync);
	strscpy(driver, crypto_tfm_alg_driver_name(crypto_aead_tfm(sync)),
		sizeof(driver));
	crypto_free_aead(sync);
	c = cryptd_alloc_aead(driver, 0, 0);
	KUNIT_ASSERT_NOT_ERR_OR_NULL_MSG(test, c, "cryptd(%s)", driver);
	if (ref_setkey(test, &c->base, a, k) ||
	    crypto_aead_setauthsize(&c->base, a->icv)) {
		cryptd_free_aead(c);
		KUNIT_ASSERT_FAILURE(test, "cryptd refused the key");
	}
	sa->xform.aead = &c->base;
	crypto_free_aead(old);
}

struct esp_async_case {
	unsigned int alg;
	bool esn;
};

static const struct esp_async_case esp_async_cases[] = {
	{ A_GCM }, { A_GCM, true }, { A_CHACHA }, { A_GMAC },
	{ A_CBC }, { A_CBC, true }, { A_NULL },
};

static void esp_async_desc(const struct esp_async_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s%s", esp_algs[c->alg].name,
		 c->esn ? " esn" : "");
}

KUNIT_ARRAY_PARAM(esp_async, esp_async_cases, esp_async_desc);

/* Verdicts and packets through cont.done, drops included. */
static void esp_async_round_trip(struct kunit *test)
{
	const struct esp_async_case *c = test->param_value;
	const struct esp_alg *a = &esp_algs[c->alg];
	struct esp_keys *k = make_keys(test, a, 9);
	struct kt_pair *t = test->priv;
	unsigned int i, orig_len, out_len, back_len, before;
	u64 first = c->esn ? 0xffffffffULL : 1;
	struct kipsec_sa_config cfg;
	struct kipsec_sa *tx, *rx;
	u8 *orig, *out, *back;

	alg_cfg(&cfg, a, k, AF_INET, 0x8000);
	cfg.flags = c->esn ? KIPSEC_SA_F_ESN : 0;
	rx = kt_sa_install(test, t->rx, &cfg);
	kt_set_replay_top(rx, first - 1);
	cfg.has_seq = true;
	cfg.seq = first - 1;
	tx = kt_sa_install(test, t->tx, &cfg);
	make_async(test, tx, a, k);
	make_async(test, rx, a, k);
	before = kt_async.completions;

	for (i = 0; i < 3; i++) {
		orig = kt_build_udp(test, L_V4, 5 + i, i, &orig_len);

		out = protect(test, tx, L_V4, SHAPE_LINEAR, orig, orig_len,
			      &out_len);

		KUNIT_EXPECT_EQ(test, get_unaligned_be32(out + 24),
				lower_32_bits(first + i));
		if (!c->esn)
			check_wire(test, a, k, L_V4, 0x8000, first + i, orig,
				   orig_len, out, out_len);
		round_trip(test, rx, L_V4, SHAPE_LINEAR, out, out_len, orig,
			   orig_len);
	}
	out = protect(test, tx, L_V4, SHAPE_LINEAR, orig, orig_len, &out_len);
	out[out_len - 1] ^= 1;
	KUNIT_EXPECT_EQ(test, unprotect(test, rx, L_V4, SHAPE_LINEAR, out,
					out_len, &back, &back_len),
			KIPSEC_A_STATS_IN_ICV_FAIL);

	KUNIT_EXPECT_EQ(test, kt_async.completions - before, 8U);
	KUNIT_EXPECT_EQ(test, kt_replay_top(rx), first + 2);
}

/* ---- running out of sequence numbers (RFC 4303 3.3.3) ---- */

struct esp_exhaust {
	const char *name;
	u32 flags;
	u64 last;			/* used already */
	enum kipsec_stats_attr verdict[2];	/* of the next two packets */
	u32 seq[2];			/* on the wire, when sent */
};

static const struct esp_exhaust esp_exhausts[] = {
	{ "32-bit, 2^32 - 1 used", 0, 0xffffffff,
	  { KIPSEC_A_STATS_OUT_SEQ_EXHAUSTED,
	    KIPSEC_A_STATS_OUT_SEQ_EXHAUSTED } },
	{ "32-bit, one left", 0, 0xfffffffe,
	  { KIPSEC_DROP_NONE, KIPSEC_A_STATS_OUT_SEQ_EXHAUSTED },
	  { 0xffffffff } },
	{ "ESN, on across 2^32", KIPSEC_SA_F_ESN, 0xffffffff,
	  { KIPSEC_DROP_NONE, KIPSEC_DROP_NONE }, { 0, 1 } },
	{ "ESN, one left", KIPSEC_SA_F_ESN, U64_MAX - 1,
	  { KIPSEC_DROP_NONE, KIPSEC_A_STATS_OUT_SEQ_EXHAUSTED },
	  { 0xffffffff } },
	{ "ESN, 2^64 - 1 used", KIPSEC_SA_F_ESN, U64_MAX,
	  { KIPSEC_A_STATS_OUT_SEQ_EXHAUSTED,
	    KIPSEC_A_STATS_OUT_SEQ_EXHAUSTED } },
};

static void esp_exhaust_desc(const struct esp_exhaust *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(esp_exhaust, esp_exhausts, esp_exhaust_desc);

static void esp_seq_exhausted(struct kunit *test)
{
	const struct esp_exhaust *c = test->param_value;
	const struct esp_alg *a = &esp_algs[A_GCM];
	struct esp_keys *k = make_keys(test, a, 6);
	struct kt_pair *t = test->priv;
	unsigned int i, orig_len, out_len;
	struct kipsec_sa_config cfg;
	struct kipsec_sa *tx;
	enum kipsec_stats_attr verdict;
	struct sk_buff *skb;
	const u8 *orig, *out;
	u64 sent = 0;

	alg_cfg(&cfg, a, k, AF_INET, 0x6000);
	cfg.flags = c->flags;
	cfg.has_seq = true;
	cfg.seq = c->last;
	tx = kt_sa_install(test, t->tx, &cfg);
	orig = kt_build_udp(test, L_V4, 8, 0, &orig_len);

	for (i = 0; i < ARRAY_SIZE(c->verdict); i++) {
		skb = kt_make_skb(test, orig, orig_len, AF_INET, SHAPE_LINEAR, 0);

		verdict = esp_out(test, &skb, tx, L_V4);

		KUNIT_EXPECT_EQ_MSG(test, verdict, c->verdict[i], "packet %u",
				    i);
		if (verdict)
			continue;
		out = kt_skb_bytes(test, skb, &out_len);
		KUNIT_EXPECT_EQ(test, get_unaligned_be32(out + 24), c->seq[i]);
		kfree_skb(skb);
		sent++;
	}
	KUNIT_EXPECT_EQ(test, kt_sa_seq(tx), c->last + sent);
}

/* ---- the MTU left for the inner packet ---- */

struct esp_mtu {
	unsigned int alg;
	enum kt_layout layout;
	unsigned int mtu, want;
};

/* esp4_get_mtu(), esp6_get_mtu(): worked out by hand. */
static const struct esp_mtu esp_mtus[] = {
	{ A_GCM, L_V4, 1500, 1466 },
	{ A_GCM, L_V6, 1280, 1246 },
	{ A_GCM, L_V4_OPT, 1500, 1466 },
	{ A_CHACHA, L_V4, 576, 542 },
	{ A_GMAC, L_V6, 1280, 1246 },
	{ A_CBC, L_V4, 1500, 1458 },
	{ A_CBC, L_V4_OPT, 1500, 1446 },
	{ A_CBC, L_V6, 1500, 1446 },
	{ A_CBC, L_V6_HBH, 1280, 1230 },
	{ A_NULL, L_V4, 1500, 1478 },
	{ A_3DES, L_V4, 1500, 1466 },
	{ A_3DES, L_V4_OPT, 1500, 1470 },
};

static void esp_mtu_desc(const struct esp_mtu *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s %s mtu %u",
		 esp_algs[c->alg].name, kt_layout_names[c->layout], c->mtu);
}

KUNIT_ARRAY_PARAM(esp_mtu, esp_mtus, esp_mtu_desc);

/* The answer, and real packets of that size and one more. */
static void esp_inner_mtu_known(struct kunit *test)
{
	const struct esp_mtu *c = test->param_value;
	const struct esp_alg *a = &esp_algs[c->alg];
	struct esp_keys *k = make_keys(test, a, 7);
	unsigned int hlen = kt_layout_hlen(c->layout), mtu, len, i;
	struct kt_pair *t = test->priv;
	struct kipsec_sa_config cfg;
	struct kipsec_sa *tx;
	const u8 *orig;

	alg_cfg(&cfg, a, k, kt_layout_family(c->layout), 0x7000);
	tx = kt_sa_install(test, t->tx, &cfg);

	mtu = kipsec_esp_inner_mtu(tx, c->mtu, hlen);

	KUNIT_ASSERT_EQ(test, mtu, c->want);
	for (i = 0; i < 2; i++) {
		orig = kt_build_udp(test, c->layout,
				    mtu + i - hlen - sizeof(struct udphdr), 0,
				    &len);
		protect(test, tx, c->layout, SHAPE_LINEAR, orig, len, &len);
		if (i)
			KUNIT_EXPECT_GT(test, len, c->mtu);
		else
			KUNIT_EXPECT_LE(test, len, c->mtu);
	}
}

static unsigned int esp_len(const struct esp_alg *a, unsigned int hlen,
			    unsigned int inner)
{
	return hlen + ESP_HLEN + a->iv + ALIGN(inner - hlen + 2, a->blk) +
	       a->icv;
}

/* For every MTU: the largest inner packet that fits, not one byte less. */
static void esp_inner_mtu_fits(struct kunit *test)
{
	const struct esp_alg *a = &esp_algs[*(unsigned int *)test->param_value];
	struct esp_keys *k = make_keys(test, a, 8);
	static const enum kt_layout layouts[] = { L_V4, L_V6_HBH };
	struct kt_pair *t = test->priv;
	struct kipsec_sa_config cfg;
	unsigned int i, hlen, mtu, m;
	struct kipsec_sa *tx;

	alg_cfg(&cfg, a, k, AF_INET, 0x7000);
	tx = kt_sa_install(test, t->tx, &cfg);

	for (i = 0; i < ARRAY_SIZE(layouts); i++) {
		hlen = kt_layout_hlen(layouts[i]);
		for (mtu = 128; mtu <= 9000; mtu++) {
			m = kipsec_esp_inner_mtu(tx, mtu, hlen);
			if (esp_len(a, hlen, m) <= mtu &&
			    esp_len(a, hlen, m + 1) > mtu)
				continue;
			KUNIT_FAIL(test, "hlen %u, mtu %u: %u", hlen, mtu, m);
			break;
		}
	}
}

static struct kunit_case esp_test_cases[] = {
	KUNIT_CASE_PARAM(esp_decode_published, esp_kat_gen_params),
	KUNIT_CASE_PARAM(esp_decode_rejected, esp_reject_gen_params),
	KUNIT_CASE_PARAM(esp_decode_replayed, replayed_gen_params),
	KUNIT_CASE_PARAM(esp_decode_trailer, esp_trailer_gen_params),
	KUNIT_CASE_PARAM(esp_decode_window, esp_window_gen_params),
	KUNIT_CASE_PARAM(esp_round_trip, esp_rt_gen_params),
	KUNIT_CASE_PARAM(esp_iv_unique, iv_alg_gen_params),
	KUNIT_CASE_PARAM(esp_esn_round_trip, esn_alg_gen_params),
	KUNIT_CASE_PARAM(esp_async_round_trip, esp_async_gen_params),
	KUNIT_CASE_PARAM(esp_seq_exhausted, esp_exhaust_gen_params),
	KUNIT_CASE_PARAM(esp_inner_mtu_known, esp_mtu_gen_params),
	KUNIT_CASE_PARAM(esp_inner_mtu_fits, all_alg_gen_params),
	{}
};

struct kunit_suite kipsec_esp_test_suite = {
	.name = "kipsec-esp",
	.suite_init = kt_suite_init,
	.init = kt_pair_init,
	.exit = kt_pair_exit,
	.test_cases = esp_test_cases,
};
