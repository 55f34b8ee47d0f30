import { defineEntity, p } from '@mikro-orm/core';
import { baseProperties, versionProperty } from '../common/base.properties.ts';
import { BUYER_ORIENTATIONS, GROWTH_PROFILES, SEGMENT_SCOPES, SIZE_CLASSES } from '../common/vocabulary.ts';

export const SegmentSchema = defineEntity({
  name: 'Segment',
  properties: {
    ...baseProperties(),
    version: versionProperty(),
    code: p.string().length(40).unique(),
    name: p.string().length(200),
    buyerOrientation: p.enum(BUYER_ORIENTATIONS),
    channel: p.string().length(80).nullable(),
    sizeClass: p.enum(SIZE_CLASSES).nullable(),
    scope: p.enum(SEGMENT_SCOPES).nullable(),
    growthProfile: p.enum(GROWTH_PROFILES).nullable(),
    description: p.text().nullable(),
  },
});

/** A group of customers with the same needs (002, 004 step 2). */
export class Segment extends SegmentSchema.class {}
SegmentSchema.setClass(Segment);
