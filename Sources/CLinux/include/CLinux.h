// Linux interfaces that Glibc's Swift overlay does not export.
#ifndef SWITCHBOARD_CLINUX_H
#define SWITCHBOARD_CLINUX_H

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <netdb.h>
#include <signal.h>
#include <pthread.h>
#include <sched.h>
#include <unistd.h>
#include <fcntl.h>
#include <errno.h>
#include <time.h>

// errno is a macro over a thread-local; Swift reads it through these.
static inline int switchboard_errno(void) { return errno; }
static inline void switchboard_set_errno(int value) { errno = value; }

// GNU extensions, implemented in shim.c where _GNU_SOURCE is defined (the Glibc module is built
// without it, so Swift cannot see accept4, pthread_setname_np or CPU_COUNT directly).
int switchboard_accept4(int fd, int flags);
int switchboard_set_thread_name(const char *name);
int switchboard_available_cpus(void);

// fcntl is variadic.
static inline int switchboard_fcntl_setfl(int fd, int flags) { return fcntl(fd, F_SETFL, flags); }
static inline int switchboard_fcntl_getfl(int fd) { return fcntl(fd, F_GETFL); }

#endif
