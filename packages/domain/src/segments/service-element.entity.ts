import { defineEntity, p } from '@mikro-orm/core';
import { baseProperties, versionProperty } from '../common/base.properties.ts';
import { ELEMENT_INCLUSIONS, PYRAMID_LEVELS } from '../common/vocabulary.ts';
import { Segment } from './segment.entity.ts';

export const ServiceElementSchema = defineEntity({
  name: 'ServiceElement',
  properties: {
    ...baseProperties(),
    version: versionProperty(),
    code: p.string().length(60).unique(),
    name: p.string().length(200),
    description: p.text().nullable(),
    position: p.integer(),
  },
});
/** Something we can do for a customer: logistics, technical support, training … (002). */
export class ServiceElement extends ServiceElementSchema.class {}
ServiceElementSchema.setClass(ServiceElement);

export const ElementImportanceSchema = defineEntity({
  name: 'ElementImportance',
  uniques: [{ properties: ['segment', 'element'] }],
  checks: [{ name: 'element_importance_range', expression: 'importance >= 1 AND importance <= 5' }],
  properties: {
    ...baseProperties(),
    version: versionProperty(),
    segment: () => p.manyToOne(Segment),
    element: () => p.manyToOne(ServiceElement),
    /** How much the segment values the element, 1–5. */
    importance: p.integer(),
  },
});
/** A segment's rating of one service element. */
export class ElementImportance extends ElementImportanceSchema.class {}
ElementImportanceSchema.setClass(ElementImportance);

export const ServicePackageSchema = defineEntity({
  name: 'ServicePackage',
  properties: {
    ...baseProperties(),
    version: versionProperty(),
    code: p.string().length(60).unique(),
    name: p.string().length(200),
    segment: () => p.manyToOne(Segment),
    description: p.text().nullable(),
  },
});
/** The service package offered to a segment: which elements are included and which are charged. */
export class ServicePackage extends ServicePackageSchema.class {}
ServicePackageSchema.setClass(ServicePackage);

export const PackageElementSchema = defineEntity({
  name: 'PackageElement',
  uniques: [{ properties: ['servicePackage', 'element'] }],
  properties: {
    ...baseProperties(),
    servicePackage: () => p.manyToOne(ServicePackage),
    element: () => p.manyToOne(ServiceElement),
    inclusion: p.enum(ELEMENT_INCLUSIONS),
  },
});
/** One element's place in a package. */
export class PackageElement extends PackageElementSchema.class {}
PackageElementSchema.setClass(PackageElement);

export const GridCellSchema = defineEntity({
  name: 'GridCell',
  uniques: [{ properties: ['segment', 'pyramidLevel'] }],
  properties: {
    ...baseProperties(),
    version: versionProperty(),
    segment: () => p.manyToOne(Segment),
    pyramidLevel: p.enum(PYRAMID_LEVELS),
    servicePackage: () => p.manyToOne(ServicePackage),
  },
});
/** One cell of the segmentation grid: segment × pyramid level → the package that applies. */
export class GridCell extends GridCellSchema.class {}
GridCellSchema.setClass(GridCell);

export const ServiceStandardSchema = defineEntity({
  name: 'ServiceStandard',
  properties: {
    ...baseProperties(),
    version: versionProperty(),
    pyramidLevel: p.enum(PYRAMID_LEVELS).unique(),
    text: p.text(),
  },
});
/** The service standard every account at a pyramid level receives (002). */
export class ServiceStandard extends ServiceStandardSchema.class {}
ServiceStandardSchema.setClass(ServiceStandard);
