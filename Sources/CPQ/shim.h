#ifndef SWITCHBOARD_CPQ_H
#define SWITCHBOARD_CPQ_H
#include <libpq-fe.h>

// PG_DIAG_SQLSTATE is a character-literal macro, which Swift does not import.
static inline const char *switchboard_pq_sqlstate(const PGresult *result) {
    return PQresultErrorField(result, PG_DIAG_SQLSTATE);
}
#endif
