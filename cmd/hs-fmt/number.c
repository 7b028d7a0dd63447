/*
 * number.c - JSON numbers as the formats need them: their value at any
 * length and range, and as text for people, as written or in the
 * precision --ofmt chose (as Miller's --ofmt: floats only, integers as
 * written).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "fmt.h"

static char ofmt_conv;		/* 'f', 'e' or 'g'; 0 without --ofmt */
static int ofmt_precision;

int
ofmt_set(const char *spec)
{
	const char *p = spec;
	char *end;
	long prec;

	if (*p == '%') {
		if (*++p != '.')
			return -1;
		p++;
	}
	if (*p < '0' || *p > '9')
		return -1;
	prec = strtol(p, &end, 10);
	if (prec > 17 || end - p > 2)
		return -1;
	if (*spec != '%') {
		if (*end != '\0')
			return -1;
		ofmt_conv = 'f';
	} else {
		if (*end == 'l')
			end++;
		if (strchr("efg", *end) == NULL || *end == '\0' ||
		    end[1] != '\0')
			return -1;
		ofmt_conv = *end;
	}
	ofmt_precision = (int)prec;
	return 0;
}

int
ofmt_chosen(void)
{
	return ofmt_conv != 0;
}

int
number_is_integer(const struct json_span *v)
{
	return memchr(v->p, '.', v->len) == NULL &&
	    memchr(v->p, 'e', v->len) == NULL &&
	    memchr(v->p, 'E', v->len) == NULL;
}

int
number_value(const struct json_span *v, double *d)
{
	char small[64], *text = small;

	if (json_number(v, d) == 0)
		return 0;
	if (v->len >= sizeof(small))
		text = hs_xmalloc(v->len + 1);
	memcpy(text, v->p, v->len);
	text[v->len] = '\0';
	*d = strtod(text, NULL);
	if (text != small)
		free(text);
	return isinf(*d) ? -1 : 0;
}

void
put_number(struct buf *out, const struct json_span *v)
{
	double d;

	if (ofmt_conv == 0 || number_is_integer(v) ||
	    number_value(v, &d) == -1) {
		buf_put(out, v->p, v->len);
		return;
	}
	switch (ofmt_conv) {
	case 'e': buf_printf(out, "%.*e", ofmt_precision, d); break;
	case 'g': buf_printf(out, "%.*g", ofmt_precision, d); break;
	default: buf_printf(out, "%.*f", ofmt_precision, d);
	}
}
