/*
 * model.h - XGBoost models in hs: reading a model file in XGBoost's JSON
 * format (as hs-learn and python3-xgboost write it), checking it, and the
 * feature vector of one NDJSON record, by the model's feature names.
 *
 * Besides the trees and the feature names, hs keeps what a prediction
 * means in the model's attributes (learner.attributes), which XGBoost
 * saves and loads with the model:
 *
 *   hs_target    the label the model predicts, e.g. "valve"
 *   hs_classes   the label's levels as a JSON array, class i being
 *                element i, e.g. "[73,80,90,100]"
 *   hs_healthy   the healthy level as JSON text, e.g. "100"
 *
 * A model without them (a python3-xgboost model trained without
 * set_attr) predicts "class", its classes are 0, 1, ..., and it has no
 * healthy level unless one is given.
 */
#ifndef HS_MODEL_H
#define HS_MODEL_H

#include <stddef.h>

#define MODEL_ATTR_TARGET "hs_target"
#define MODEL_ATTR_CLASSES "hs_classes"
#define MODEL_ATTR_HEALTHY "hs_healthy"

#include "featurevec.h"
#include "jsonw.h"

struct model {
	void *booster;		/* XGBoost's BoosterHandle */
	const char *path;
	char *target;		/* the label predicted */
	size_t nclass;		/* 0: a regression */
	char **classes;		/* the JSON text of each class's level */
	long healthy;		/* the healthy class, or -1 */
	struct features features;
	char *array;		/* the array interface of features.x */
};

/* Load and check a model file: not JSON, not an XGBoost model, written by
 * an XGBoost this build cannot read, without feature names, or with
 * attributes that do not fit it, are fatal errors naming the file.
 * healthy (JSON text) names the healthy level if not NULL. */
struct model *model_load(const char *path, const char *healthy);

/* Predict from m->features.x: the class and its probability, or for a
 * regression *cls = 0 and *p the predicted value. */
void model_predict(struct model *m, size_t *cls, double *p);

/* Append the members of a prediction to an open record:
 *   ,"TARGET_predicted":LEVEL,"TARGET_probability":P
 * level being JSON text; without the probability when p is NaN. */
void model_put_prediction(struct buf *b, const char *target,
    const char *level, size_t len, double p);

/* Fatal unless the XGBoost call returned 0: its error, with what hs was
 * doing. */
void model_check(int rc, const char *doing);

#endif
