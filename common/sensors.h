/*
 * sensors.h - the 17 sensors of the UCI hydraulic test rig: name, sampling
 * rate, unit, and the physical range a reading must lie in to be plausible
 * (from the data set's description and the rig's ratings), and the
 * healthy levels of its condition labels.
 */
#ifndef HS_SENSORS_H
#define HS_SENSORS_H

#include <stddef.h>

struct sensor_info {
	const char *name;
	int rate_hz;
	const char *unit;
	double min, max;	/* plausible range */
};

#define SENSOR_COUNT 17

/* The sensor of that name, or NULL. */
const struct sensor_info *sensor_find(const char *name, size_t len);

/* The healthy level of a label of the rig's profile.txt, as hs-replay -p
 * names them: cooler 100 (%, full efficiency), valve 100 (%, optimal
 * switching), pump_leak 0 (no leakage), accumulator 130 (bar, optimal
 * pressure), stable 0 (conditions were stable). NULL for another name. */
const char *profile_healthy(const char *label);

#endif
