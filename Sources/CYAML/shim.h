#ifndef SWITCHBOARD_CYAML_H
#define SWITCHBOARD_CYAML_H
#include <yaml.h>
#endif
