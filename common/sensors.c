/*
 * sensors.c - the sensor table of the UCI hydraulic test rig (sensors.h).
 * Ranges: pressures up to the rig's 200 bar with margin, motor power up to
 * its 3.7 kW motor, flows, temperatures of oil in the liquid range, and
 * percentages within 0-100.
 */
#include <string.h>

#include "sensors.h"

static const struct sensor_info sensors[SENSOR_COUNT] = {
	{ "CE", 1, "%", 0, 100 },
	{ "CP", 1, "kW", 0, 20 },
	{ "EPS1", 100, "W", 0, 5000 },
	{ "FS1", 10, "l/min", 0, 30 },
	{ "FS2", 10, "l/min", 0, 30 },
	{ "PS1", 100, "bar", 0, 250 },
	{ "PS2", 100, "bar", 0, 250 },
	{ "PS3", 100, "bar", 0, 250 },
	{ "PS4", 100, "bar", 0, 250 },
	{ "PS5", 100, "bar", 0, 250 },
	{ "PS6", 100, "bar", 0, 250 },
	{ "SE", 1, "%", 0, 100 },
	{ "TS1", 1, "degC", -20, 120 },
	{ "TS2", 1, "degC", -20, 120 },
	{ "TS3", 1, "degC", -20, 120 },
	{ "TS4", 1, "degC", -20, 120 },
	{ "VS1", 1, "mm/s", 0, 10 },
};

const struct sensor_info *
sensor_find(const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < SENSOR_COUNT; i++)
		if (strlen(sensors[i].name) == len &&
		    memcmp(sensors[i].name, name, len) == 0)
			return &sensors[i];
	return NULL;
}

const char *
profile_healthy(const char *label)
{
	static const char *const healthy[][2] = { { "cooler", "100" },
	    { "valve", "100" }, { "pump_leak", "0" }, { "accumulator", "130" },
	    { "stable", "0" } };
	size_t i;

	for (i = 0; i < sizeof(healthy) / sizeof(healthy[0]); i++)
		if (strcmp(label, healthy[i][0]) == 0)
			return healthy[i][1];
	return NULL;
}
