#ifndef ADVISOR_VERSION_H
#define ADVISOR_VERSION_H
#ifndef ADVISOR_VERSION
#define ADVISOR_VERSION "0.1.0"
#endif
#endif
