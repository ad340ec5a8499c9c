import { type DomainError, NotFoundError, ValidationFailedError } from '@charity/common';
import { HouseholdInactiveError, InsufficientPointsError } from '@charity/households';
import { InsufficientStockError, UnknownBarcodeError } from '@charity/inventory';
import {
  deliveryAddressRequired,
  householdInactive,
  insufficientPoints,
  insufficientStock,
  limitExceeded,
  productInactive,
  unknownBarcode,
  unknownProduct,
  type CartProblem,
} from './cart-rules';
import {
  cartProblemError,
  DeliveryAddressRequiredError,
  LimitExceededError,
  ProductInactiveError,
} from './redemption-errors';

const asProblem = (error: DomainError) => ({
  code: error.code,
  message: error.message,
  details: error.details,
});

// The cart rules build their problems without the error classes (they run in the browser too);
// these pin each problem to the error the checkout throws for it, word for word.
describe('cart problems and the errors a checkout throws', () => {
  const cases: [string, CartProblem, DomainError][] = [
    ...(['suspended', 'exited'] as const).map((status): [string, CartProblem, DomainError] => [
      `household ${status}`,
      householdInactive({ id: 7, cardNo: 'AX0007', status }),
      new HouseholdInactiveError({ id: 7, cardNo: 'AX0007', status }),
    ]),
    ['unknown barcode', unknownBarcode('690001'), new UnknownBarcodeError('690001')],
    ['unknown product', unknownProduct('404'), new NotFoundError('product', '404')],
    [
      'inactive product',
      productInactive({ id: 3, name: '旧货' }),
      new ProductInactiveError({ id: 3, name: '旧货' }),
    ],
    [
      'stock',
      insufficientStock({ id: 1, name: '大米' }, 6, 5),
      new InsufficientStockError(1, '大米', 6, 5),
    ],
    ['points', insufficientPoints(7, 59, 60), new InsufficientPointsError(7, 59, 60)],
    [
      'delivery address',
      deliveryAddressRequired(),
      new DeliveryAddressRequiredError([
        { field: 'deliveryAddress', constraints: ['required'], messages: ['address required'] },
      ]),
    ],
  ];

  it.each(cases)('%s: the same code, message and facts', (_, problem, error) => {
    expect(problem).toEqual(asProblem(error));
  });

  it.each(cases)(
    '%s: thrown as its own class, with every problem of the cart',
    (_, problem, error) => {
      const other = insufficientPoints(7, 0, 10);
      const thrown = cartProblemError(problem, [problem, other]);
      expect(thrown).toBeInstanceOf(error.constructor);
      expect(asProblem(thrown)).toEqual({
        ...asProblem(error),
        details: { ...error.details, problems: [problem, other] },
      });
    },
  );

  it('a missing delivery address stays a VALIDATION_FAILED naming the field', () => {
    const thrown = cartProblemError(deliveryAddressRequired(), [deliveryAddressRequired()]);
    expect(thrown).toBeInstanceOf(ValidationFailedError);
    expect(thrown.code).toBe('VALIDATION_FAILED');
  });

  it('limits are thrown together as one LimitExceededError', () => {
    const product = limitExceeded({
      limit: 'product',
      productId: 1,
      name: '大米',
      used: 1,
      requested: 2,
      allowed: 2,
    });
    const visits = limitExceeded({ limit: 'visits', used: 4, requested: 1, allowed: 4 });
    const thrown = cartProblemError(visits, [visits, insufficientPoints(7, 0, 10), product]);
    expect(thrown).toBeInstanceOf(LimitExceededError);
    expect(thrown).toEqual(new LimitExceededError([visits.details, product.details]));
    expect(thrown.message).toBe('每户每月最多兑换 4 次，本月已兑换 4 次');
  });
});
