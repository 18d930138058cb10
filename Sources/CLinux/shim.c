#define _GNU_SOURCE
#include <sched.h>
#include <pthread.h>
#include <sys/socket.h>
#include <unistd.h>
#include "CLinux.h"

int switchboard_accept4(int fd, int flags) {
    return accept4(fd, NULL, NULL, flags);
}

int switchboard_set_thread_name(const char *name) {
    return pthread_setname_np(pthread_self(), name);
}

int switchboard_available_cpus(void) {
    cpu_set_t set;
    CPU_ZERO(&set);
    if (sched_getaffinity(0, sizeof(set), &set) == 0) {
        int count = CPU_COUNT(&set);
        if (count > 0) return count;
    }
    long online = sysconf(_SC_NPROCESSORS_ONLN);
    return online > 0 ? (int)online : 1;
}
