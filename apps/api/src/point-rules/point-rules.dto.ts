import { CARD_NAME_DISPLAYS, type CardNameDisplay } from '@charity/households';
import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  MaxLength,
  NotEquals,
  ValidateBy,
} from 'class-validator';
import { IsIntBetween } from '../http/number-fields';
import { BooleanFromText, IsOptionalNotNull, Trim } from '../http/validation';

/** Rule codes are `[A-Z0-9_]{2,20}`; lower case typed is taken as upper case. */
const RULE_CODE_PATTERN = /^[A-Z0-9_]{2,20}$/;

export class CreatePointRuleRequest {
  @ApiProperty({
    example: 'TIDY_YARD',
    pattern: RULE_CODE_PATTERN.source,
    description: 'capital letters, digits and _, 2-20 characters; lower case is taken as upper',
  })
  @Trim()
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? value.toUpperCase() : value,
  )
  @IsString()
  @ValidateBy({
    name: 'isRuleCode',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && RULE_CODE_PATTERN.test(value),
      defaultMessage: () => '$property must be 2-20 capital letters, digits or _',
    },
  })
  code!: string;

  @ApiProperty({ example: '庭院整洁', maxLength: 60 })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(60)
  name!: string;

  @ApiProperty({ example: 5, description: 'positive or negative, never 0' })
  @IsIntBetween(-1000, 1000)
  @NotEquals(0)
  points!: number;

  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    example: 2,
    description: 'most times one household may receive the rule in one month; null for no cap',
  })
  @IsOptional()
  @IsIntBetween(1, 100)
  monthlyCap?: number | null;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 200 })
  @Trim()
  @IsOptional()
  @IsString()
  @MaxLength(200)
  description?: string | null;

  @ApiPropertyOptional({ default: true })
  @IsOptionalNotNull()
  @IsBoolean()
  active?: boolean;
}

export class UpdatePointRuleRequest extends PartialType(CreatePointRuleRequest, {
  skipNullProperties: false,
}) {}

export class ListPointRulesQuery {
  @ApiPropertyOptional({ description: 'true for the rules in use only' })
  @IsOptional()
  @BooleanFromText()
  @IsBoolean()
  active?: boolean;
}

export class PointRuleResponse {
  @ApiProperty() id!: number;
  @ApiProperty({ example: 'TIDY_YARD' }) code!: string;
  @ApiProperty({ example: '庭院整洁' }) name!: string;
  @ApiProperty({ example: 5 }) points!: number;
  @ApiProperty({ type: Number, nullable: true }) monthlyCap!: number | null;
  @ApiProperty({ type: String, nullable: true }) description!: string | null;
  @ApiProperty() active!: boolean;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt!: Date;
  @ApiProperty({ type: String, format: 'date-time' }) updatedAt!: Date;
}

export class UpdatePointsPolicyRequest {
  @ApiPropertyOptional({
    minimum: 0,
    maximum: 120,
    description: 'months until points expire; 0 never',
  })
  @IsOptionalNotNull()
  @IsIntBetween(0, 120)
  expiryMonths?: number;

  @ApiPropertyOptional({ description: 'exited (已脱贫) households may spend what they hold' })
  @IsOptionalNotNull()
  @IsBoolean()
  exitedMaySpend?: boolean;

  @ApiPropertyOptional({
    enum: CARD_NAME_DISPLAYS,
    description: "how the head's name is printed on cards",
  })
  @IsOptionalNotNull()
  @IsIn(CARD_NAME_DISPLAYS)
  cardNameDisplay?: CardNameDisplay;

  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    description: 'most checkouts one household may make in a month, county-wide; null for no limit',
  })
  @IsOptional()
  @IsIntBetween(1, 100)
  monthlyVisitLimit?: number | null;

  @ApiPropertyOptional({
    minimum: 0,
    maximum: 31,
    description: 'a checkout may be voided on its day and this many days after (default 0)',
  })
  @IsOptionalNotNull()
  @IsIntBetween(0, 31)
  voidWindowDays?: number;
}

export class PointsPolicyResponse {
  @ApiProperty() expiryMonths!: number;
  @ApiProperty() exitedMaySpend!: boolean;
  @ApiProperty({ enum: CARD_NAME_DISPLAYS }) cardNameDisplay!: CardNameDisplay;
  @ApiProperty({ type: Number, nullable: true }) monthlyVisitLimit!: number | null;
  @ApiProperty() voidWindowDays!: number;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) updatedAt!: Date | null;
}
