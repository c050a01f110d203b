#ifndef PMCMS_CLIBXML2_SHIM_H
#define PMCMS_CLIBXML2_SHIM_H

// libxml2 is built with ICU, so encoding.h includes the system <unicode/ucnv.h>, whose
// UErrorCode clashes with the ICU that Foundation bundles. Claim that header's include guard
// and declare the two types libxml2 mentions, only ever as pointers: Swift never uses them.
#define UCNV_H 1
typedef struct UConverter UConverter;
typedef unsigned short UChar;

#include <libxml/HTMLparser.h>
#include <libxml/HTMLtree.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include <libxml/xmlwriter.h>
#include <libxml/xmlsave.h>
#include <libxml/parser.h>
#include <libxml/xmlerror.h>

// xmlFree is a global function pointer, which Swift 6 refuses to call from concurrent code.
static inline void pmcms_xmlFree(void *pointer) { xmlFree(pointer); }

// Encoding conversion errors go to libxml2's generic error handler even with
// HTML_PARSE_NOERROR. The handler is per thread, so each parsing thread silences its own.
static void pmcms_discard_error(void *context, const char *message, ...) { (void)context; (void)message; }
static inline void pmcms_silence_libxml_errors(void) { xmlSetGenericErrorFunc(NULL, pmcms_discard_error); }

#endif
