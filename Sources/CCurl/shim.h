#ifndef BULKDROP_CCURL_SHIM_H
#define BULKDROP_CCURL_SHIM_H

// libcurl for Swift. curl_easy_setopt and curl_easy_getinfo are C variadic functions, which
// Swift cannot call, so each argument kind gets a typed, prefixed wrapper.
#include <curl/curl.h>

static inline CURLcode ccurl_setopt_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode ccurl_setopt_ptr(CURL *handle, CURLoption option, const void *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode ccurl_setopt_off_t(CURL *handle, CURLoption option, curl_off_t value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode ccurl_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return curl_easy_getinfo(handle, info, value);
}

static inline CURLcode ccurl_getinfo_ptr(CURL *handle, CURLINFO info, void **value) {
    return curl_easy_getinfo(handle, info, value);
}

// CURLVERSION_NOW is a macro naming an enum constant, which Swift does not import.
static inline curl_version_info_data *ccurl_version_info(void) {
    return curl_version_info(CURLVERSION_NOW);
}

// Lets an SMTP transfer go on when the server refuses some of the recipients. The option was
// added in 7.69.0 as CURLOPT_MAIL_RCPT_ALLLOWFAILS (sic) and renamed in 8.2.0, same number;
// older headers have neither, and the caller then sends to one recipient at a time.
static inline CURLcode ccurl_setopt_mail_rcpt_allowfails(CURL *handle, long allow) {
#if LIBCURL_VERSION_NUM >= 0x080200
    return curl_easy_setopt(handle, CURLOPT_MAIL_RCPT_ALLOWFAILS, allow);
#elif LIBCURL_VERSION_NUM >= 0x074500
    return curl_easy_setopt(handle, CURLOPT_MAIL_RCPT_ALLLOWFAILS, allow);
#else
    (void)handle;
    (void)allow;
    return CURLE_UNKNOWN_OPTION;
#endif
}

#endif
