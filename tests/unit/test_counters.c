/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The kernel counters' parsers on the text the kernel writes: /proc/net/netstat and
 * /proc/net/snmp as read in a namespace after 40 client-closed connections with
 * tcp_max_tw_buckets=10 (30 TIME_WAIT refused), and /proc/net/stat/nf_conntrack; then
 * the model's rates and levels over two hand-built samples.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "core/counters.h"
#include "fixture.h"
#include "core/sample.h"
#include "model/model-internal.h"

static const char netstat_text[] =
	"TcpExt: SyncookiesSent SyncookiesRecv SyncookiesFailed EmbryonicRsts PruneCalled "
	"RcvPruned OfoPruned OutOfWindowIcmps LockDroppedIcmps ArpFilter TW TWRecycled TWKilled "
	"PAWSActive PAWSEstab BeyondWindow TSEcrRejected PAWSOldAck PAWSTimewait DelayedACKs "
	"DelayedACKLocked DelayedACKLost ListenOverflows ListenDrops TCPHPHits TCPPureAcks "
	"TCPHPAcks TCPRenoRecovery TCPSackRecovery TCPSACKReneging TCPSACKReorder TCPRenoReorder "
	"TCPTSReorder TCPFullUndo TCPPartialUndo TCPDSACKUndo TCPLossUndo TCPLostRetransmit "
	"TCPRenoFailures TCPSackFailures TCPLossFailures TCPFastRetrans TCPSlowStartRetrans "
	"TCPTimeouts TCPLossProbes TCPLossProbeRecovery TCPRenoRecoveryFail TCPSackRecoveryFail "
	"TCPRcvCollapsed TCPBacklogCoalesce TCPDSACKOldSent TCPDSACKOfoSent TCPDSACKRecv "
	"TCPDSACKOfoRecv TCPAbortOnData TCPAbortOnClose TCPAbortOnMemory TCPAbortOnTimeout "
	"TCPAbortOnLinger TCPAbortFailed TCPMemoryPressures TCPMemoryPressuresChrono "
	"TCPSACKDiscard TCPDSACKIgnoredOld TCPDSACKIgnoredNoUndo TCPSpuriousRTOs TCPMD5NotFound "
	"TCPMD5Unexpected TCPMD5Failure TCPSackShifted TCPSackMerged TCPSackShiftFallback "
	"TCPBacklogDrop PFMemallocDrop TCPMinTTLDrop TCPDeferAcceptDrop IPReversePathFilter "
	"TCPTimeWaitOverflow TCPReqQFullDoCookies TCPReqQFullDrop TCPRetransFail TCPRcvCoalesce "
	"TCPOFOQueue TCPOFODrop TCPOFOMerge TCPChallengeACK TCPSYNChallenge TCPFastOpenActive "
	"TCPFastOpenActiveFail TCPFastOpenPassive TCPFastOpenPassiveFail "
	"TCPFastOpenListenOverflow TCPFastOpenCookieReqd TCPFastOpenBlackhole "
	"TCPSpuriousRtxHostQueues BusyPollRxPackets TCPAutoCorking TCPFromZeroWindowAdv "
	"TCPToZeroWindowAdv TCPWantZeroWindowAdv TCPSynRetrans TCPOrigDataSent "
	"TCPHystartTrainDetect TCPHystartTrainCwnd TCPHystartDelayDetect TCPHystartDelayCwnd "
	"TCPACKSkippedSynRecv TCPACKSkippedPAWS TCPACKSkippedSeq TCPACKSkippedFinWait2 "
	"TCPACKSkippedTimeWait TCPACKSkippedChallenge TCPWinProbe TCPKeepAlive TCPMTUPFail "
	"TCPMTUPSuccess TCPDelivered TCPDeliveredCE TCPAckCompressed TCPZeroWindowDrop "
	"TCPRcvQDrop TCPWqueueTooBig TCPFastOpenPassiveAltKey TcpTimeoutRehash "
	"TcpDuplicateDataRehash TCPDSACKRecvSegs TCPDSACKIgnoredDubious TCPMigrateReqSuccess "
	"TCPMigrateReqFailure TCPPLBRehash TCPAORequired TCPAOBad TCPAOKeyNotFound TCPAOGood "
	"TCPAODroppedIcmps\n"
	"TcpExt: 0 0 0 0 0 0 0 0 0 0 10 0 0 0 0 0 0 0 0 40 0 0 0 0 0 90 0 0 0 0 0 0 0 0 0 0 0 0 0 "
	"0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 30 0 0 0 0 0 "
	"0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 80 0 0 0 0 0 0 0 0 0 0 0 0 0 0 90 0 0 0 0 0 0 0 0 0 "
	"0 0 0 0 0 0 0 0 0\n"
	"IpExt: InNoRoutes InTruncatedPkts InMcastPkts OutMcastPkts InBcastPkts OutBcastPkts "
	"InOctets OutOctets InMcastOctets OutMcastOctets InBcastOctets OutBcastOctets "
	"InCsumErrors InNoECTPkts InECT1Pkts InECT0Pkts InCEPkts ReasmOverlaps\n"
	"IpExt: 0 0 0 0 0 0 14840 14840 0 0 0 0 0 280 0 0 0 0\n"
	"MPTcpExt: MPCapableSYNRX MPCapableSYNTX MPCapableSYNACKRX MPCapableACKRX "
	"MPCapableFallbackACK MPCapableFallbackSYNACK MPCapableSYNTXDrop MPCapableSYNTXDisabled "
	"MPCapableEndpAttempt MPFallbackTokenInit MPTCPRetrans MPJoinNoTokenFound MPJoinSynRx "
	"MPJoinSynBackupRx MPJoinSynAckRx MPJoinSynAckBackupRx MPJoinSynAckHMacFailure "
	"MPJoinAckRx MPJoinAckHMacFailure MPJoinRejected MPJoinSynTx MPJoinSynTxCreatSkErr "
	"MPJoinSynTxBindErr MPJoinSynTxConnectErr DSSNotMatching DSSCorruptionFallback "
	"DSSCorruptionReset InfiniteMapTx InfiniteMapRx DSSNoMatchTCP DataCsumErr OFOQueueTail "
	"OFOQueue OFOMerge NoDSSInWindow DuplicateData AddAddr AddAddrTx AddAddrTxDrop EchoAdd "
	"EchoAddTx EchoAddTxDrop PortAdd AddAddrDrop MPJoinPortSynRx MPJoinPortSynAckRx "
	"MPJoinPortAckRx MismatchPortSynRx MismatchPortAckRx RmAddr RmAddrDrop RmAddrTx "
	"RmAddrTxDrop RmSubflow MPPrioTx MPPrioRx MPFailTx MPFailRx MPFastcloseTx MPFastcloseRx "
	"MPRstTx MPRstRx SubflowStale SubflowRecover SndWndShared RcvWndShared "
	"RcvWndConflictUpdate RcvWndConflict MPCurrEstab Blackhole MPCapableDataFallback "
	"MD5SigFallback DssFallback SimultConnectFallback FallbackFailed WinProbe\n"
	"MPTcpExt: 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 "
	"0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n";

static const char snmp_text[] =
	"Ip: Forwarding DefaultTTL InReceives InHdrErrors InAddrErrors ForwDatagrams "
	"InUnknownProtos InDiscards InDelivers OutRequests OutDiscards OutNoRoutes ReasmTimeout "
	"ReasmReqds ReasmOKs ReasmFails FragOKs FragFails FragCreates OutTransmits\n"
	"Ip: 2 64 280 0 0 0 0 0 280 280 0 0 0 0 0 0 0 0 0 280\n"
	"Icmp: InMsgs InErrors InCsumErrors InDestUnreachs InTimeExcds InParmProbs InSrcQuenchs "
	"InRedirects InEchos InEchoReps InTimestamps InTimestampReps InAddrMasks InAddrMaskReps "
	"OutMsgs OutErrors OutRateLimitGlobal OutRateLimitHost OutDestUnreachs OutTimeExcds "
	"OutParmProbs OutSrcQuenchs OutRedirects OutEchos OutEchoReps OutTimestamps "
	"OutTimestampReps OutAddrMasks OutAddrMaskReps\n"
	"Icmp: 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n"
	"Tcp: RtoAlgorithm RtoMin RtoMax MaxConn ActiveOpens PassiveOpens AttemptFails "
	"EstabResets CurrEstab InSegs OutSegs RetransSegs InErrs OutRsts InCsumErrors\n"
	"Tcp: 1 200 120000 -1 40 40 0 0 0 280 280 0 0 30 0\n"
	"Udp: InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors SndbufErrors InCsumErrors "
	"IgnoredMulti MemErrors\n"
	"Udp: 0 0 0 0 0 0 0 0 0\n"
	"UdpLite: InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors SndbufErrors "
	"InCsumErrors IgnoredMulti MemErrors\n"
	"UdpLite: 0 0 0 0 0 0 0 0 0\n";

/* The header of 6.18 (clashres since 5.10), two CPUs, figures in hex */
static const char conntrack_text[] =
	"entries  clashres found new invalid ignore delete chainlength insert insert_failed drop "
	"early_drop icmp_error  expect_new expect_create expect_delete search_restart\n"
	"0000000b  00000001 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000002 "
	"00000002 00000000 00000000  00000000 00000000 00000000 00000000\n"
	"0000000b  00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 0000000a "
	"00000010 00000003 00000000  00000000 00000000 00000000 00000000\n";

static void test_netstat_gives_the_tcpext_counters(void)
{
	struct kernel_counters c;

	counters_init(&c);
	CHECK_EQ(counters_parse_snmp(netstat_text, &c), 0);
	CHECK(counters_known(&c, KCOUNTER_TIME_WAIT_OVERFLOW));
	CHECK_EQ(c.value[KCOUNTER_TIME_WAIT_OVERFLOW], 30);
	CHECK_EQ(c.value[KCOUNTER_TW_RECYCLED], 0);
	CHECK(counters_known(&c, KCOUNTER_LISTEN_DROPS));
	CHECK(!counters_known(&c, KCOUNTER_ACTIVE_OPENS));  /* that is in snmp */
}

static void test_snmp_gives_the_tcp_counters_and_skips_negative_maxconn(void)
{
	struct kernel_counters c;

	counters_init(&c);
	CHECK_EQ(counters_parse_snmp(snmp_text, &c), 0);
	CHECK_EQ(c.value[KCOUNTER_ACTIVE_OPENS], 40);
	CHECK_EQ(c.value[KCOUNTER_PASSIVE_OPENS], 40);
	CHECK_EQ(c.value[KCOUNTER_ATTEMPT_FAILS], 0);
	CHECK(counters_known(&c, KCOUNTER_ESTAB_RESETS));
	CHECK(!counters_known(&c, KCOUNTER_TIME_WAIT_OVERFLOW));
}

/* A read cut in the middle of the values line: that table is skipped, none is made up. */
static void test_a_cut_values_line_is_skipped(void)
{
	struct kernel_counters c;
	char cut[sizeof(snmp_text)];
	const char *tcp = strstr(snmp_text, "\nTcp: 1 ");

	CHECK(tcp != NULL);
	if (!tcp)
		return;
	memcpy(cut, snmp_text, (size_t)(tcp - snmp_text) + 12);
	cut[tcp - snmp_text + 12] = '\0';
	counters_init(&c);
	CHECK_EQ(counters_parse_snmp(cut, &c), 0);  /* Ip and Icmp were whole */
	CHECK(!counters_known(&c, KCOUNTER_ACTIVE_OPENS));
	counters_init(&c);
	CHECK_EQ(counters_parse_snmp("Tcp: ActiveOpens\n", &c), -EINVAL);
	CHECK_EQ(counters_parse_snmp("", &c), -EINVAL);
}

static void test_conntrack_sums_the_cpus_in_hex(void)
{
	struct kernel_counters c;

	counters_init(&c);
	CHECK_EQ(counters_parse_conntrack(conntrack_text, &c), 0);
	CHECK_EQ(c.value[KCOUNTER_CT_INSERT_FAILED], 12);
	CHECK_EQ(c.value[KCOUNTER_CT_DROP], 18);
	CHECK_EQ(c.value[KCOUNTER_CT_EARLY_DROP], 3);
	CHECK_EQ(c.value[KCOUNTER_CT_CLASH_RESOLVE], 1);
	CHECK(counters_known(&c, KCOUNTER_CT_CLASH_RESOLVE));
	counters_init(&c);
	CHECK_EQ(counters_parse_conntrack("entries drop\n", &c), -EINVAL);  /* no CPU line */
	CHECK_EQ(counters_parse_conntrack("entries drop\nzz 1\n", &c), -EINVAL);
	CHECK(!counters_known(&c, KCOUNTER_CT_DROP));
}

static void sample_at(struct sample *s, double when, uint64_t overflow, uint64_t attempt_fails,
		      uint64_t listen_drops)
{
	sample_reset(s);
	s->sys.low = 40000;
	s->sys.high = 40099;
	s->owners_scanned = true;
	s->monotonic = when;
	s->counters.value[KCOUNTER_TIME_WAIT_OVERFLOW] = overflow;
	s->counters.value[KCOUNTER_ATTEMPT_FAILS] = attempt_fails;
	s->counters.value[KCOUNTER_LISTEN_DROPS] = listen_drops;
	s->counters.known = 1u << KCOUNTER_TIME_WAIT_OVERFLOW | 1u << KCOUNTER_ATTEMPT_FAILS |
			    1u << KCOUNTER_LISTEN_DROPS;
	s->counters.tw_max_buckets = 10;
	s->counters.conntrack_count = 95;
	s->counters.conntrack_max = 100;
	sample_finish_owners(s);
}

/* Rates from two samples; red for overflow and drops while they move, yellow after. */
static void test_counter_rates_and_levels(void)
{
	struct history *h = history_new();
	struct sample s;
	struct model m;

	sample_init(&s);
	model_init(&m);
	sample_at(&s, 100.0, 0, 4, 7);
	CHECK_EQ(model_build(&m, &s, h), 0);
	CHECK(m.counters.counter[KCOUNTER_ATTEMPT_FAILS].per_sec < 0);  /* no rate yet */
	CHECK_EQ(m.counters.counter[KCOUNTER_TIME_WAIT_OVERFLOW].level, LEVEL_OK);
	CHECK_EQ(m.counters.counter[KCOUNTER_LISTEN_DROPS].level, LEVEL_WARNING);  /* > 0, still */
	CHECK(!m.counters.counter[KCOUNTER_TW_RECYCLED].known);
	CHECK_EQ(m.counters.conntrack_level, LEVEL_CRITICAL);  /* 95 % > 90 % */
	CHECK_EQ(history_advance(h, &s), 0);

	sample_at(&s, 102.0, 3, 10, 7);
	CHECK_EQ(model_build(&m, &s, h), 0);
	CHECK(m.counters.counter[KCOUNTER_ATTEMPT_FAILS].per_sec == 3.0);
	CHECK_EQ(m.counters.counter[KCOUNTER_ATTEMPT_FAILS].level, LEVEL_WARNING);
	CHECK(m.counters.counter[KCOUNTER_TIME_WAIT_OVERFLOW].per_sec == 1.5);
	CHECK_EQ(m.counters.counter[KCOUNTER_TIME_WAIT_OVERFLOW].level, LEVEL_CRITICAL);
	CHECK(m.counters.counter[KCOUNTER_LISTEN_DROPS].per_sec == 0);
	CHECK_EQ(m.counters.counter[KCOUNTER_LISTEN_DROPS].level, LEVEL_WARNING);
	CHECK_EQ(m.counters.tw_level, LEVEL_OK);  /* no TIME_WAIT socket in the sample */
	CHECK(m.counters.tw_percent == 0);
	CHECK_EQ(history_advance(h, &s), 0);

	sample_at(&s, 103.0, 3, 10, 2);  /* went back: reset, no rate */
	CHECK_EQ(model_build(&m, &s, h), 0);
	CHECK(m.counters.counter[KCOUNTER_LISTEN_DROPS].per_sec < 0);
	CHECK(m.counters.counter[KCOUNTER_TIME_WAIT_OVERFLOW].per_sec == 0);
	CHECK_EQ(m.counters.counter[KCOUNTER_TIME_WAIT_OVERFLOW].level, LEVEL_WARNING);  /* stopped */
	model_free(&m);
	sample_free(&s);
	history_free(h);
}

/* One sample (porttop -b) right after an overflow: no rate, but not OK either. */
static void test_an_overflow_without_a_rate_is_a_warning(void)
{
	struct history *h = history_new();
	struct sample s;
	struct model m;

	sample_init(&s);
	model_init(&m);
	sample_at(&s, 100.0, 30, 0, 0);
	CHECK_EQ(model_build(&m, &s, h), 0);
	CHECK(m.counters.counter[KCOUNTER_TIME_WAIT_OVERFLOW].per_sec < 0);
	CHECK_EQ(m.counters.counter[KCOUNTER_TIME_WAIT_OVERFLOW].level, LEVEL_WARNING);
	CHECK_EQ(m.counters.counter[KCOUNTER_LISTEN_DROPS].level, LEVEL_OK);  /* 0: nothing happened */
	model_free(&m);
	sample_free(&s);
	history_free(h);
}

/* A timewait socket as sock_diag shows it: inode 0, the timewait timer. */
static void add_tcp(struct sample *s, unsigned lport, int state, uint32_t inode, uint8_t timer)
{
	struct sock_rec r = fixture_tcp("127.0.0.1", lport, "127.0.0.1", 8080, state, inode, lport);

	r.timer = timer;
	CHECK_EQ(sample_add_sock(s, &r), 0);
}

/*
 * tcp_max_tw_buckets counts timewait sockets (inet_twsk_alloc): TIME_WAIT and the
 * FIN_WAIT2 orphans tcp_time_wait took over, not the FIN_WAIT2 sockets that are full
 * ones (owned, or orphans of a fin_timeout above 60 s on their keepalive timer).
 */
static void test_tw_buckets_count_timewait_fin_wait2_orphans(void)
{
	struct history *h = history_new();
	struct sample s;
	struct model m;

	model_init(&m);
	fixture_start(&s, 40000, 40099, 100.0);
	s.counters.tw_max_buckets = 10;
	for (unsigned i = 0; i < 4; i++)
		add_tcp(&s, 40000 + i, KTCP_TIME_WAIT, 0, SOCK_TIMER_TIMEWAIT);
	for (unsigned i = 0; i < 4; i++)
		add_tcp(&s, 40010 + i, KTCP_FIN_WAIT2, 0, SOCK_TIMER_TIMEWAIT);
	add_tcp(&s, 40020, KTCP_FIN_WAIT2, 0, 2);    /* orphan, fin_timeout 120 s: keepalive */
	add_tcp(&s, 40021, KTCP_FIN_WAIT2, 555, 0);  /* shutdown(), its fd still open */
	add_tcp(&s, 40022, KTCP_ESTABLISHED, 556, 0);
	sample_finish_owners(&s);
	CHECK_EQ(model_build(&m, &s, h), 0);
	CHECK_EQ(m.states[STATE_TIME_WAIT], 4);
	CHECK_EQ(m.states[STATE_FIN_WAIT2], 6);
	CHECK_EQ(m.counters.tw_buckets, 8);
	CHECK(m.counters.tw_percent == 80.0);
	CHECK_EQ(m.counters.tw_level, LEVEL_WARNING);

	add_tcp(&s, 40014, KTCP_FIN_WAIT2, 0, SOCK_TIMER_TIMEWAIT);
	add_tcp(&s, 40004, KTCP_TIME_WAIT, 0, SOCK_TIMER_TIMEWAIT);
	sample_finish_owners(&s);
	CHECK_EQ(model_build(&m, &s, h), 0);
	CHECK_EQ(m.counters.tw_buckets, 10);  /* the next one is refused */
	CHECK(m.counters.tw_percent == 100.0);
	CHECK_EQ(m.counters.tw_level, LEVEL_CRITICAL);
	model_free(&m);
	sample_free(&s);
	history_free(h);
}

/* A sample whose conntrack statistics are the kernel's text for two CPUs, each
 * {insert_failed, drop}; early_drop and clashres 0. */
static void conntrack_sample(struct sample *s, double when, const uint32_t cpu0[2],
			     const uint32_t cpu1[2])
{
	char text[256];

	snprintf(text, sizeof(text),
		 "entries  clashres insert_failed drop early_drop\n"
		 "00000001  00000000 %08x %08x 00000000\n"
		 "00000001  00000000 %08x %08x 00000000\n",
		 cpu0[0], cpu0[1], cpu1[0], cpu1[1]);
	fixture_start(s, 40000, 40099, when);
	CHECK_EQ(counters_parse_conntrack(text, &s->counters), 0);
	s->counters.conntrack_count = 2;
	s->counters.conntrack_max = 100;
	sample_finish_owners(s);
}

/* The per_sec of drop and insert_failed from the statistics of two moments, 2 s apart. */
static void conntrack_rates(const uint32_t before[2][2], const uint32_t now[2][2], double *drop,
			    double *insert_failed)
{
	struct history *h = history_new();
	struct sample s;
	struct model m;

	model_init(&m);
	conntrack_sample(&s, 100.0, before[0], before[1]);
	CHECK_EQ(model_build(&m, &s, h), 0);
	CHECK_EQ(history_advance(h, &s), 0);
	sample_free(&s);
	conntrack_sample(&s, 102.0, now[0], now[1]);
	CHECK_EQ(model_build(&m, &s, h), 0);
	*drop = m.counters.counter[KCOUNTER_CT_DROP].per_sec;
	*insert_failed = m.counters.counter[KCOUNTER_CT_INSERT_FAILED].per_sec;
	model_free(&m);
	sample_free(&s);
	history_free(h);
}

static void test_conntrack_counts_the_cpus_that_may_wrap(void)
{
	struct kernel_counters c;

	counters_init(&c);
	CHECK_EQ(counters_parse_conntrack("entries drop early_drop\n0 fffffff0 7fffffff\n"
					  "0 80000000 0\n0 3 0\n", &c), 0);
	CHECK_EQ(c.value[KCOUNTER_CT_DROP], 0xfffffff0ull + 0x80000000ull + 3);
	CHECK_EQ(c.upper_cpus[KCOUNTER_CT_DROP], 2);
	CHECK_EQ(c.upper_cpus[KCOUNTER_CT_EARLY_DROP], 0);
}

/*
 * One CPU's 32-bit drop wraps (0xfffffff0 + 32 = 0x10) while the other's moves by 4:
 * the sum goes back by 2^32 - 36, and moved by 36, 18 a second, still red.
 */
static void test_a_cpu_that_wraps_keeps_the_rate(void)
{
	const uint32_t before[2][2] = { { 5, 0xfffffff0u }, { 0, 0x10 } };
	const uint32_t now[2][2] = { { 6, 0x10 }, { 0, 0x14 } };
	double drop, insert_failed;

	conntrack_rates(before, now, &drop, &insert_failed);
	CHECK(drop == 18.0);
	CHECK(insert_failed == 0.5);
}

/* conntrack reloaded: every CPU back near 0, and no CPU was near 2^32: no rate. */
static void test_conntrack_reloaded_is_a_reset(void)
{
	const uint32_t before[2][2] = { { 5, 0x1000 }, { 7, 0x2000 } };
	const uint32_t now[2][2] = { { 0, 1 }, { 0, 2 } };
	double drop, insert_failed;

	conntrack_rates(before, now, &drop, &insert_failed);
	CHECK(drop < 0);
	CHECK(insert_failed < 0);
}

/*
 * Reloaded while drop had a CPU near 2^32: drop alone could be a wrap (moved by 0x20),
 * but insert_failed went back from 12 to 1 with no CPU near it, and a reload resets
 * them all: no rate for either.
 */
static void test_a_reload_is_not_taken_for_a_wrap(void)
{
	const uint32_t before[2][2] = { { 5, 0xfffffff0u }, { 7, 0 } };
	const uint32_t now[2][2] = { { 1, 0x10 }, { 0, 0 } };
	double drop, insert_failed;

	conntrack_rates(before, now, &drop, &insert_failed);
	CHECK(drop < 0);
	CHECK(insert_failed < 0);
}

int main(void)
{
	RUN(test_netstat_gives_the_tcpext_counters);
	RUN(test_snmp_gives_the_tcp_counters_and_skips_negative_maxconn);
	RUN(test_a_cut_values_line_is_skipped);
	RUN(test_conntrack_sums_the_cpus_in_hex);
	RUN(test_counter_rates_and_levels);
	RUN(test_an_overflow_without_a_rate_is_a_warning);
	RUN(test_tw_buckets_count_timewait_fin_wait2_orphans);
	RUN(test_conntrack_counts_the_cpus_that_may_wrap);
	RUN(test_a_cpu_that_wraps_keeps_the_rate);
	RUN(test_conntrack_reloaded_is_a_reset);
	RUN(test_a_reload_is_not_taken_for_a_wrap);
	CHECK_DONE();
}
