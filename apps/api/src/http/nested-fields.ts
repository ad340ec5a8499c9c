import { applyDecorators } from '@nestjs/common';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayNotEmpty, IsArray, IsObject, ValidateNested } from 'class-validator';

type Constructor = new () => object;

/**
 * An object of class `type`, validated by its own rules. @ValidateNested alone accepts an array
 * in its place (it validates the array's items instead, so `[]` passes): IsObject refuses it.
 */
export const NestedObject = (type: () => Constructor): PropertyDecorator =>
  applyDecorators(IsObject(), ValidateNested(), Type(type));

/**
 * An array of at most `max` objects of class `type` (and at least one when `notEmpty`), each
 * validated by its own rules. @ValidateNested({ each: true }) alone lets an array stand for an
 * item (`[[{…}]]` passes, and the service then reads `undefined` from it): IsObject on each item
 * refuses that, and null, numbers and text, naming the field.
 */
export const ArrayOf = (
  type: () => Constructor,
  { max, notEmpty }: { max: number; notEmpty: boolean },
): PropertyDecorator =>
  applyDecorators(
    IsArray(),
    ...(notEmpty ? [ArrayNotEmpty()] : []),
    ArrayMaxSize(max),
    IsObject({ each: true, message: 'each item of $property must be an object' }),
    ValidateNested({ each: true }),
    Type(type),
  );
