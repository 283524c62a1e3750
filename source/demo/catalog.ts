// The demo shop's data: products made deterministically from their id (so every run, thread and test
// sees the same catalog) and the built-in accounts.

export interface Product {
  readonly id: number;
  readonly name: string;
  readonly slug: string;
  readonly category: string;
  readonly price: number;
  readonly stock: number;
  readonly rating: number;
}

const ADJECTIVES = [
  'Wireless',
  'Mechanical',
  'Ergonomic',
  'Compact',
  'Portable',
  'Silent',
  'Backlit',
  'Foldable',
  'Adjustable',
  'Premium',
  'Travel',
  'Studio',
  'Pro',
  'Slim',
  'Rugged',
  'Smart',
  'Classic',
];
const NOUNS: ReadonlyArray<readonly [string, string]> = [
  ['Mouse', 'peripherals'],
  ['Keyboard', 'peripherals'],
  ['USB-C Hub', 'accessories'],
  ['Monitor Arm', 'office'],
  ['Laptop Stand', 'office'],
  ['Webcam', 'peripherals'],
  ['Headphones', 'audio'],
  ['Desk Lamp', 'office'],
  ['Speaker', 'audio'],
  ['Microphone', 'audio'],
  ['Monitor', 'displays'],
  ['Docking Station', 'accessories'],
  ['Charger', 'accessories'],
  ['Trackpad', 'peripherals'],
  ['Cable Kit', 'accessories'],
  ['Footrest', 'office'],
  ['Earbuds', 'audio'],
  ['Portable Display', 'displays'],
  ['SSD Enclosure', 'accessories'],
];

export const CATEGORIES = [...new Set(NOUNS.map(([, c]) => c))].sort();

/** Search terms that find products (for scenarios and the home page's "popular searches"). */
export const POPULAR_SEARCHES = [
  'wireless mouse',
  'mechanical keyboard',
  'usb-c hub',
  'monitor arm',
  'laptop stand',
  'webcam',
  'headphones',
  'desk lamp',
  'speaker',
  'charger',
];

export class Catalog {
  readonly products: ReadonlyArray<Product>;

  constructor(readonly size: number) {
    const products: Product[] = [];
    for (let id = 1; id <= size; id++) {
      const adjective = ADJECTIVES[(id * 7) % ADJECTIVES.length];
      const [noun, category] = NOUNS[id % NOUNS.length];
      const name = `${adjective} ${noun}`;
      products.push({
        id,
        name,
        slug: name.toLowerCase().replace(/[^a-z0-9]+/g, '-'),
        category,
        price: Math.round((9.99 + ((id * 37) % 240) + (id % 4) * 0.25) * 100) / 100,
        stock: (id * 13) % 90,
        rating: Math.round((3 + ((id * 11) % 21) / 10) * 10) / 10,
      });
    }
    this.products = products;
  }

  get(id: number): Product | undefined {
    return Number.isInteger(id) && id >= 1 && id <= this.size ? this.products[id - 1] : undefined;
  }

  /** Products whose name contains every word of the query, case-insensitive. */
  search(query: string, limit = 20): Product[] {
    const words = query.toLowerCase().split(/\s+/).filter(Boolean);
    if (words.length === 0) return [];
    const out: Product[] = [];
    for (const p of this.products) {
      const name = p.name.toLowerCase();
      if (words.every((w) => name.includes(w))) {
        out.push(p);
        if (out.length >= limit) break;
      }
    }
    return out;
  }
}

/** Accounts `user1`..`userN` with password `pass1`..`passN`; the e-mail is `userN@example.com`. Returns the user name. */
export function checkCredentials(login: string, password: string, accounts: number): string | undefined {
  const match = /^user(\d+)(?:@example\.com)?$/i.exec(login.trim());
  if (!match) return undefined;
  const n = Number(match[1]);
  if (!(n >= 1 && n <= accounts) || String(n) !== match[1]) return undefined;
  return password === `pass${n}` ? `user${n}` : undefined;
}
