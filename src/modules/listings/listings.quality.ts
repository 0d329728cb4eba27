import { registerEnumType } from 'type-graphql';

export enum ListingQualityRule {
  TITLE_LENGTH = 'TITLE_LENGTH',
  KEYWORD_IN_TITLE = 'KEYWORD_IN_TITLE',
  IMAGE_COUNT = 'IMAGE_COUNT',
  IMAGE_ALT_TEXT = 'IMAGE_ALT_TEXT',
  DESCRIPTION_LENGTH = 'DESCRIPTION_LENGTH',
  PRICE_SET = 'PRICE_SET',
  STOCK_AVAILABLE = 'STOCK_AVAILABLE',
}
registerEnumType(ListingQualityRule, {
  name: 'ListingQualityRule',
  description: 'A rule of the listing quality score. Points per rule add up to 100.',
  valuesConfig: {
    TITLE_LENGTH: { description: `Title is ${20}–${150} characters (20 points).` },
    KEYWORD_IN_TITLE: { description: 'At least one keyword appears in the title (15 points).' },
    IMAGE_COUNT: { description: 'At least 3 images (15 points).' },
    IMAGE_ALT_TEXT: { description: 'There are images and every one has alt text (10 points).' },
    DESCRIPTION_LENGTH: { description: 'Description has at least 200 characters (15 points).' },
    PRICE_SET: { description: 'Every active variant has a price above 0 (10 points).' },
    STOCK_AVAILABLE: { description: 'At least one unit of the product is available (15 points); unknown without stock data.' },
  },
});

export const TITLE_MIN = 20;
export const TITLE_MAX = 150;
export const MIN_IMAGES = 3;
export const DESCRIPTION_MIN = 200;

export interface QualityInput {
  title: string;
  description: string;
  keywords: string[];
  images: { altText?: string | null }[];
  /** Prices of the product's active variants. */
  variantPrices: number[];
  /** Units available across the product's variants; null when no stock data exists. */
  availableUnits: number | null;
}

export interface QualityFinding {
  rule: ListingQualityRule;
  /** null: could not be judged (no data), scores nothing. */
  passed: boolean | null;
  points: number;
  maxPoints: number;
  message: string;
}

/** The score is the sum of the points of passed rules: explicit rules, no weights hidden elsewhere. */
export function assessListing(input: QualityInput): { score: number; findings: QualityFinding[] } {
  const findings: QualityFinding[] = [];
  const add = (rule: ListingQualityRule, maxPoints: number, passed: boolean | null, ok: string, fix: string) =>
    findings.push({ rule, passed, maxPoints, points: passed ? maxPoints : 0, message: passed ? ok : fix });

  const titleLength = [...input.title].length;
  add(
    ListingQualityRule.TITLE_LENGTH,
    20,
    titleLength >= TITLE_MIN && titleLength <= TITLE_MAX,
    `Title length ${titleLength} is within ${TITLE_MIN}–${TITLE_MAX}`,
    titleLength < TITLE_MIN ? `Title has ${titleLength} characters; write at least ${TITLE_MIN}` : `Title has ${titleLength} characters; shorten it to at most ${TITLE_MAX}`,
  );
  const title = input.title.toLowerCase();
  const hit = input.keywords.find((k) => title.includes(k.toLowerCase()));
  add(
    ListingQualityRule.KEYWORD_IN_TITLE,
    15,
    hit !== undefined,
    `Title contains the keyword "${hit}"`,
    input.keywords.length ? 'No keyword appears in the title; work the main keyword into it' : 'There are no keywords; add some and use the main one in the title',
  );
  add(ListingQualityRule.IMAGE_COUNT, 15, input.images.length >= MIN_IMAGES, `${input.images.length} images`, `Only ${input.images.length} images; add at least ${MIN_IMAGES - input.images.length} more`);
  const missingAlt = input.images.filter((i) => !i.altText?.trim()).length;
  add(
    ListingQualityRule.IMAGE_ALT_TEXT,
    10,
    input.images.length > 0 && missingAlt === 0,
    'Every image has alt text',
    input.images.length === 0 ? 'There are no images to describe; add images with alt text' : `${missingAlt} of ${input.images.length} images have no alt text`,
  );
  const descriptionLength = [...input.description.trim()].length;
  add(
    ListingQualityRule.DESCRIPTION_LENGTH,
    15,
    descriptionLength >= DESCRIPTION_MIN,
    `Description has ${descriptionLength} characters`,
    `Description has ${descriptionLength} characters; write at least ${DESCRIPTION_MIN}`,
  );
  const unpriced = input.variantPrices.filter((p) => p <= 0).length;
  add(
    ListingQualityRule.PRICE_SET,
    10,
    input.variantPrices.length > 0 && unpriced === 0,
    'Every active variant has a price',
    input.variantPrices.length === 0 ? 'The product has no active variant to sell' : `${unpriced} active variants have no price`,
  );
  if (input.availableUnits == null) {
    findings.push({ rule: ListingQualityRule.STOCK_AVAILABLE, passed: null, points: 0, maxPoints: 15, message: 'Stock availability unknown' });
  } else {
    add(ListingQualityRule.STOCK_AVAILABLE, 15, input.availableUnits > 0, `${input.availableUnits} units available`, 'Nothing is in stock; replenish or delist');
  }
  return { score: findings.reduce((s, f) => s + f.points, 0), findings };
}
