import { IntegerFromText } from '@charity/common';
import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { IsInt, Max, Min } from 'class-validator';

/**
 * What the columns behind the API's numbers hold (libs/database/src/migrations): a field's
 * maximum is never above its column's, so no accepted value overflows into a 500.
 */
export const INT_UNSIGNED_MAX = 4_294_967_295;
export const SMALLINT_UNSIGNED_MAX = 65_535;

/** Ids are INT UNSIGNED AUTO_INCREMENT. */
export const MAX_ID = INT_UNSIGNED_MAX;

/**
 * A unit's value: ¥1,000,000, far above any real goods and inside the INT UNSIGNED
 * `unit_value_fen` columns of products, lots, transfer and redemption lines.
 */
export const MAX_UNIT_VALUE_FEN = 100_000_000;

/**
 * An integer from `min` to `max`, as a JSON number: "12", true or 1.5 are refused. The range is
 * also written into the OpenAPI schema; a field's own @ApiProperty adds the rest (or overrides it).
 */
export const IsIntBetween = (min: number, max: number): PropertyDecorator =>
  applyDecorators(
    ApiProperty({ type: 'integer', minimum: min, maximum: max }),
    IsInt(),
    Min(min),
    Max(max),
  );

/** The id of a row, as a JSON number. */
export const IsId = (): PropertyDecorator => IsIntBetween(1, MAX_ID);

/**
 * An integer from `min` to `max` in a query parameter or multipart form field, where every value
 * is text: `12` is read as 12, while `1e20`, `1.5`, ` 12` or an empty value are refused by name.
 */
export const QueryInt = (min: number, max: number): PropertyDecorator =>
  applyDecorators(IntegerFromText(), IsIntBetween(min, max));

/** The id of a row in a query parameter or multipart form field. */
export const QueryId = (): PropertyDecorator => QueryInt(1, MAX_ID);
