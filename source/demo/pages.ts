// The demo shop's HTML pages: plain server-rendered markup, sized roughly like a real shop's pages.
import {CATEGORIES, POPULAR_SEARCHES, type Product} from './catalog.js';

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'})[c]!);
}

function layout(title: string, body: string, user?: string): string {
  const account = user
    ? `<a href="/dashboard">Dashboard</a> <a href="/settings">Settings</a> <span class="user">${escapeHtml(user)}</span>`
    : '<a href="/login">Sign in</a>';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · Brink Demo Shop</title>
<link rel="stylesheet" href="/static/shop.css">
</head>
<body>
<header>
<nav><a href="/" class="brand">Brink Demo Shop</a> <a href="/products">Products</a> <a href="/pricing">Pricing</a>
<form action="/search" method="get" class="search"><input type="search" name="q" placeholder="Search products"><button>Search</button></form>
${account}</nav>
</header>
<main>
${body}
</main>
<footer><p>A demo target for brink. Nothing here is for sale.</p></footer>
</body>
</html>
`;
}

function productCard(p: Product): string {
  return `<li class="product"><a href="/products/${p.id}">${escapeHtml(p.name)}</a> <span class="price">$${p.price.toFixed(2)}</span> <span class="rating">${p.rating} ★</span></li>`;
}

export function homePage(featured: ReadonlyArray<Product>): string {
  return layout(
    'Home',
    `<h1>Gear for your desk</h1>
<p>Keyboards, mice, displays and everything in between.</p>
<section><h2>Featured</h2><ul class="products">
${featured.map(productCard).join('\n')}
</ul></section>
<section><h2>Popular searches</h2><ul>
${POPULAR_SEARCHES.map((q) => `<li><a href="/search?q=${encodeURIComponent(q)}">${escapeHtml(q)}</a></li>`).join('\n')}
</ul></section>
<section><h2>Categories</h2><ul>
${CATEGORIES.map((c) => `<li><a href="/products?category=${c}">${c}</a></li>`).join('\n')}
</ul></section>`,
  );
}

export function pricingPage(): string {
  const plans = [
    ['Hobby', 0, 'Free shipping over $50'],
    ['Plus', 9, 'Free shipping, 30-day returns'],
    ['Business', 29, 'Invoicing, bulk orders, a named account manager'],
  ] as const;
  return layout(
    'Pricing',
    `<h1>Membership</h1>
<table class="plans"><thead><tr><th>Plan</th><th>Per month</th><th>What you get</th></tr></thead><tbody>
${plans.map(([name, price, what]) => `<tr><td>${name}</td><td>$${price}</td><td>${what}</td></tr>`).join('\n')}
</tbody></table>`,
  );
}

export function productListPage(products: ReadonlyArray<Product>, page: number, pages: number, category?: string): string {
  const query = (n: number) => `/products?page=${n}${category ? `&category=${encodeURIComponent(category)}` : ''}`;
  return layout(
    'Products',
    `<h1>${category ? `Products in ${escapeHtml(category)}` : 'All products'}</h1>
<ul class="products">
${products.map(productCard).join('\n')}
</ul>
<nav class="pages">${page > 1 ? `<a rel="prev" href="${query(page - 1)}">Previous</a>` : ''} Page ${page} of ${pages} ${page < pages ? `<a rel="next" href="${query(page + 1)}">Next</a>` : ''}</nav>`,
  );
}

export function productPage(p: Product): string {
  return layout(
    p.name,
    `<article class="product-detail">
<h1>${escapeHtml(p.name)}</h1>
<p class="price">$${p.price.toFixed(2)}</p>
<p class="rating">Rated ${p.rating} out of 5</p>
<p class="stock">${p.stock > 0 ? `${p.stock} in stock` : 'Out of stock'}</p>
<p>Category: <a href="/products?category=${p.category}">${p.category}</a></p>
<p>The ${escapeHtml(p.name.toLowerCase())} is part of our ${p.category} range. Sturdy, quiet and made to last.</p>
<form action="/cart" method="post"><input type="hidden" name="product_id" value="${p.id}"><input type="number" name="quantity" value="1" min="1"><button>Add to cart</button></form>
</article>`,
  );
}

export function searchPage(q: string, results: ReadonlyArray<Product>): string {
  return layout(
    `Search: ${q}`,
    `<h1>Results for “${escapeHtml(q)}”</h1>
${results.length === 0 ? '<p>No products match.</p>' : `<p>${results.length} products</p><ul class="products">\n${results.map(productCard).join('\n')}\n</ul>`}`,
  );
}

export function loginPage(csrfToken: string, error?: string, next?: string): string {
  return layout(
    'Sign in',
    `<h1>Sign in</h1>
${error ? `<p class="error">${escapeHtml(error)}</p>` : ''}
<form action="/login" method="post">
<input type="hidden" name="csrfmiddlewaretoken" value="${csrfToken}">
${next ? `<input type="hidden" name="next" value="${escapeHtml(next)}">` : ''}
<label>Username <input type="text" name="username" autocomplete="username" required></label>
<label>Password <input type="password" name="password" autocomplete="current-password" required></label>
<button type="submit">Sign in</button>
</form>`,
  );
}

export interface Profile {
  displayName: string;
  email: string;
  timezone: string;
}

export function dashboardPage(user: string, profile: Profile, orders: number): string {
  return layout(
    'Dashboard',
    `<h1>Welcome back, ${escapeHtml(profile.displayName)}</h1>
<section class="stats"><p>Orders this year: ${orders}</p><p>Reward points: ${orders * 40 + user.length * 7}</p></section>
<section><h2>Recent activity</h2><ul>
<li>Signed in</li><li>Viewed your order history</li><li>Updated your wish list</li>
</ul></section>`,
    user,
  );
}

export function settingsPage(user: string, profile: Profile, csrfToken: string, saved: boolean): string {
  return layout(
    'Settings',
    `<h1>Account settings</h1>
${saved ? '<p class="notice">Your profile was saved.</p>' : ''}
<form action="/profile" method="post">
<input type="hidden" name="csrfmiddlewaretoken" value="${csrfToken}">
<label>Display name <input type="text" name="display_name" value="${escapeHtml(profile.displayName)}"></label>
<label>E-mail <input type="email" name="email" value="${escapeHtml(profile.email)}"></label>
<label>Time zone <input type="text" name="timezone" value="${escapeHtml(profile.timezone)}"></label>
<button type="submit">Save</button>
</form>`,
    user,
  );
}

export function messagePage(title: string, message: string): string {
  return layout(title, `<h1>${escapeHtml(title)}</h1>\n<p>${escapeHtml(message)}</p>`);
}
