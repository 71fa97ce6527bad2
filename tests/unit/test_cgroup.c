/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Who a process is, from /proc/PID/cgroup lines as the runtimes write them: the
 * systemd and cgroupfs drivers, cgroup v1, v2 and hybrid hosts.
 */
#include <string.h>

#include "check.h"
#include "core/cgroup.h"

#define ID64 "a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90"

static struct cgroup_identity identify(const char *text)
{
	struct cgroup_identity id;

	cgroup_identify(text, strlen(text), &id);
	return id;
}

static void test_a_docker_scope_gives_the_runtime_and_the_short_id(void)
{
	struct cgroup_identity id = identify("0::/system.slice/docker-" ID64 ".scope\n");

	CHECK_EQ(id.kind, CGROUP_CONTAINER);
	CHECK_STR(id.name, "docker a1b2c3d4e5f6");
	CHECK(cgroup_is_container(&id));
}

static void test_podman_containerd_and_crio_scopes_are_named_by_runtime(void)
{
	CHECK_STR(identify("0::/machine.slice/libpod-" ID64 ".scope/container\n").name,
		  "podman a1b2c3d4e5f6");
	CHECK_STR(identify("0::/system.slice/cri-containerd-" ID64 ".scope\n").name,
		  "containerd a1b2c3d4e5f6");
	CHECK_STR(identify("0::/crio-" ID64 ".scope\n").name, "cri-o a1b2c3d4e5f6");
}

static void test_the_conmon_scope_of_podman_is_no_container(void)
{
	struct cgroup_identity id = identify("0::/machine.slice/libpod-conmon-" ID64 ".scope\n");

	CHECK_EQ(id.kind, CGROUP_HOST);
	CHECK_STR(id.name, "");
}

static void test_cgroupfs_docker_paths_are_containers_too(void)
{
	struct cgroup_identity id = identify("12:pids:/docker/" ID64 "\n0::/docker/" ID64 "\n");

	CHECK_EQ(id.kind, CGROUP_CONTAINER);
	CHECK_STR(id.name, "docker a1b2c3d4e5f6");
}

static void test_a_kubernetes_pod_wins_over_its_container(void)
{
	struct cgroup_identity sd = identify(
		"0::/kubepods.slice/kubepods-burstable.slice/"
		"kubepods-burstable-pod0f1e2d3c_4b5a_6978_8a9b_0c1d2e3f4a5b.slice/"
		"cri-containerd-" ID64 ".scope\n");
	struct cgroup_identity fs = identify(
		"4:memory:/kubepods/besteffort/pod0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b/" ID64 "\n");

	CHECK_EQ(sd.kind, CGROUP_POD);
	CHECK_STR(sd.name, "pod 0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b");
	CHECK_EQ(fs.kind, CGROUP_POD);
	CHECK_STR(fs.name, "pod 0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b");
}

static void test_a_pod_outside_kubepods_is_just_a_path(void)
{
	CHECK_EQ(identify("0::/pod1234/x\n").kind, CGROUP_HOST);
}

static void test_the_innermost_service_names_a_host_process(void)
{
	struct cgroup_identity id = identify(
		"0::/user.slice/user-1000.slice/user@1000.service/app.slice/foo.service\n");

	CHECK_EQ(id.kind, CGROUP_UNIT);
	CHECK_STR(id.name, "foo.service");
	CHECK(!cgroup_is_container(&id));
	CHECK_STR(identify("1:name=systemd:/system.slice/nginx.service\n0::/\n").name, "nginx.service");
}

static void test_a_container_wins_over_the_unit_on_another_line(void)
{
	struct cgroup_identity id = identify("1:name=systemd:/system.slice/docker-" ID64 ".scope\n"
					     "0::/system.slice/containerd.service\n");

	CHECK_EQ(id.kind, CGROUP_CONTAINER);
	CHECK_STR(id.name, "docker a1b2c3d4e5f6");
}

static void test_the_root_cgroup_and_garbage_are_the_host(void)
{
	CHECK_EQ(identify("0::/\n").kind, CGROUP_HOST);
	CHECK_EQ(identify("9:name=systemd:/\n4:memory:/process_api/484ec3\n0::/").kind, CGROUP_HOST);
	CHECK_EQ(identify("").kind, CGROUP_HOST);
	CHECK_EQ(identify("no colons at all\n::\n:").kind, CGROUP_HOST);
	/* a short id is no container id */
	CHECK_EQ(identify("0::/docker-a1b2.scope\n").kind, CGROUP_HOST);
}

static void test_a_line_without_a_final_newline_counts(void)
{
	CHECK_STR(identify("0::/system.slice/docker-" ID64 ".scope").name, "docker a1b2c3d4e5f6");
}

int main(void)
{
	RUN(test_a_docker_scope_gives_the_runtime_and_the_short_id);
	RUN(test_podman_containerd_and_crio_scopes_are_named_by_runtime);
	RUN(test_the_conmon_scope_of_podman_is_no_container);
	RUN(test_cgroupfs_docker_paths_are_containers_too);
	RUN(test_a_kubernetes_pod_wins_over_its_container);
	RUN(test_a_pod_outside_kubepods_is_just_a_path);
	RUN(test_the_innermost_service_names_a_host_process);
	RUN(test_a_container_wins_over_the_unit_on_another_line);
	RUN(test_the_root_cgroup_and_garbage_are_the_host);
	RUN(test_a_line_without_a_final_newline_counts);
	CHECK_DONE();
}
