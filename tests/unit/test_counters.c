/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The kernel counters' parsers on the text the kernel writes: /proc/net/netstat and
 * /proc/net/snmp as read in a namespace after 40 client-closed connections with
 * tcp_max_tw_buckets=10 (30 TIME_WAIT refused), and /proc/net/stat/nf_conntrack; then
 * the model's rates and levels over two hand-built samples.
 */
#include <errno.h>
#include <string.h>

#include "check.h"
#include "core/counters.h"
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

int main(void)
{
	RUN(test_netstat_gives_the_tcpext_counters);
	RUN(test_snmp_gives_the_tcp_counters_and_skips_negative_maxconn);
	RUN(test_a_cut_values_line_is_skipped);
	RUN(test_conntrack_sums_the_cpus_in_hex);
	RUN(test_counter_rates_and_levels);
	RUN(test_an_overflow_without_a_rate_is_a_warning);
	CHECK_DONE();
}
