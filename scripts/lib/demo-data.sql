-- Demo data for scripts/demo.sh, made with generate_series (run with psql --single-transaction in
-- database elt_demo): customers 50,000 rows, products 5,000, orders 1,000,000, order_items about
-- 2,000,000 (composite key). Deterministic: the same script gives the same rows.
-- The last statement marks the data complete (COMMENT ON TABLE order_items); demo.sh checks it.

SET client_min_messages = warning;
SET synchronous_commit = off;
SET maintenance_work_mem = '256MB';
SELECT setseed(0.42);

DROP TABLE IF EXISTS public.order_items, public.orders, public.products, public.customers;
DROP TYPE IF EXISTS public.order_status;
CREATE TYPE public.order_status AS ENUM ('pending', 'paid', 'shipped', 'delivered', 'cancelled', 'refunded');

CREATE TABLE public.customers (
    customer_id      bigint        NOT NULL,
    email            text          NOT NULL,
    full_name        text          NOT NULL,
    country          char(2)       NOT NULL,
    birth_date       date,
    signed_up_at     timestamptz   NOT NULL,
    marketing_opt_in boolean       NOT NULL,
    lifetime_value   numeric(12,2) NOT NULL
);

INSERT INTO public.customers
SELECT g,
       'customer' || g || '@example.com',
       (ARRAY['Ana','Ben','Chloé','Dmitri','Eva','Farid','Grace','Hiro','Inès','Jonas','Kemal','Lena',
              'Marta','Nadia','Omar','Priya'])[1 + g % 16] || ' ' ||
       (ARRAY['Smith','Müller','Rossi','García','Kowalski','Nguyen','Ivanova','Silva','Dubois','Jensen',
              'Tanaka','Okafor'])[1 + (g / 16) % 12],
       (ARRAY['US','DE','FR','GB','ES','IT','NL','PL','SE','JP','BR','IN'])[1 + (g * 7) % 12],
       CASE WHEN g % 10 = 0 THEN NULL ELSE date '1950-01-01' + (g * 37 % 18000) END,
       timestamptz '2019-01-01 00:00:00+00' + g * interval '52 minutes' + (random() * 3000) * interval '1 second',
       g % 3 = 0,
       round((random() * 5000)::numeric, 2)
FROM generate_series(1, 50000) AS g;

CREATE TABLE public.products (
    product_id  integer       NOT NULL,
    sku         varchar(32)   NOT NULL,
    name        text          NOT NULL,
    category    text          NOT NULL,
    price       numeric(10,2) NOT NULL,
    weight_kg   real,
    tags        text[]        NOT NULL,
    attributes  jsonb         NOT NULL,
    created_at  timestamptz   NOT NULL
);

INSERT INTO public.products
SELECT g,
       'SKU-' || lpad(g::text, 6, '0'),
       (ARRAY['Classic','Eco','Pro','Mini','Ultra','Smart'])[1 + g % 6] || ' ' ||
       (ARRAY['Mug','Lamp','Backpack','Kettle','Notebook','Headphones','Chair','Bottle','Jacket','Speaker'])[1 + (g / 6) % 10],
       (ARRAY['kitchen','home','outdoor','office','audio','apparel'])[1 + g % 6],
       round((4.99 + power(random(), 3) * 495)::numeric, 2),
       CASE WHEN g % 50 = 0 THEN NULL ELSE round((0.1 + random() * 20)::numeric, 2)::real END,
       ARRAY[(ARRAY['new','sale','bestseller','eco','limited'])[1 + g % 5],
             (ARRAY['red','blue','black','white','green'])[1 + (g / 5) % 5]],
       jsonb_build_object('color', (ARRAY['red','blue','black','white','green'])[1 + (g / 5) % 5],
                          'size', (ARRAY['S','M','L','XL'])[1 + g % 4],
                          'warranty_years', g % 4,
                          'dimensions_cm', jsonb_build_object('w', 5 + g % 50, 'h', 3 + g % 30, 'd', 2 + g % 20)),
       timestamptz '2020-01-01 00:00:00+00' + g * interval '7 hours'
FROM generate_series(1, 5000) AS g;

-- 1 to 3 lines per order; the unit price is the product's price.
CREATE TABLE public.order_items (
    order_id     bigint        NOT NULL,
    line_no      smallint      NOT NULL,
    product_id   integer       NOT NULL,
    quantity     integer       NOT NULL,
    unit_price   numeric(10,2) NOT NULL,
    discount_pct numeric(5,2)  NOT NULL
);

INSERT INTO public.order_items
SELECT o, l, p.product_id, 1 + (o + l) % 4, p.price, CASE WHEN (o + l) % 7 = 0 THEN 10.00 ELSE 0.00 END
FROM generate_series(1, 1000000) AS o
CROSS JOIN LATERAL generate_series(1, 1 + o % 3) AS l
JOIN public.products p ON p.product_id = 1 + (o * 31 + l * 977) % 5000;

CREATE TABLE public.orders (
    order_id         bigint              NOT NULL,
    order_uuid       uuid                NOT NULL,
    customer_id      bigint              NOT NULL,
    status           public.order_status NOT NULL,
    currency         char(3)             NOT NULL,
    subtotal         numeric(12,2)       NOT NULL,
    shipping_fee     numeric(8,2)        NOT NULL,
    total            numeric(12,2)       NOT NULL,
    placed_at        timestamptz         NOT NULL,
    shipped_at       timestamptz,
    shipping_address jsonb               NOT NULL,
    note             text
);

INSERT INTO public.orders
SELECT order_id, order_uuid, customer_id, status, currency, subtotal, shipping_fee, subtotal + shipping_fee,
       placed_at,
       CASE WHEN status IN ('shipped', 'delivered', 'refunded') THEN placed_at + (1 + r * 5) * interval '1 day' END,
       shipping_address, note
FROM (
    SELECT i.order_id,
           md5('elt-demo-order-' || i.order_id)::uuid AS order_uuid,
           1 + (i.order_id * 7919) % 50000 AS customer_id,
           (CASE WHEN i.r < 0.04 THEN 'pending' WHEN i.r < 0.12 THEN 'paid' WHEN i.r < 0.30 THEN 'shipped'
                 WHEN i.r < 0.93 THEN 'delivered' WHEN i.r < 0.98 THEN 'cancelled' ELSE 'refunded' END)::public.order_status AS status,
           (ARRAY['USD','EUR','GBP','JPY'])[1 + i.order_id % 4] AS currency,
           i.subtotal,
           CASE WHEN i.subtotal >= 100 THEN 0.00 ELSE 4.95 END AS shipping_fee,
           timestamptz '2021-01-01 00:00:00+00' + i.order_id * interval '2 minutes' + i.r * interval '100 seconds' AS placed_at,
           i.r,
           jsonb_build_object(
               'street', (1 + i.order_id % 250) || ' ' || (ARRAY['Main St','Oak Ave','Hauptstraße','Rue de la Paix','High St','Calle Mayor'])[1 + i.order_id % 6],
               'city', (ARRAY['Springfield','Berlin','Paris','London','Madrid','Osaka','Lyon','Kraków'])[1 + (i.order_id / 7) % 8],
               'postal_code', lpad((i.order_id * 31 % 99999)::text, 5, '0'),
               'gift', i.order_id % 17 = 0) AS shipping_address,
           CASE WHEN i.order_id % 25 = 0 THEN (ARRAY['Leave at the door', 'Call before delivery', 'Gift wrap, please',
                'Deliver after 5 pm'])[1 + (i.order_id / 25) % 4] END AS note
    FROM (SELECT order_id, round(sum(quantity * unit_price * (1 - discount_pct / 100)), 2) AS subtotal,
                 random() AS r
          FROM public.order_items GROUP BY order_id) AS i
) AS o
ORDER BY order_id;

ALTER TABLE public.customers ADD PRIMARY KEY (customer_id);
ALTER TABLE public.products ADD PRIMARY KEY (product_id);
ALTER TABLE public.products ADD UNIQUE (sku);
ALTER TABLE public.orders ADD PRIMARY KEY (order_id);
ALTER TABLE public.order_items ADD PRIMARY KEY (order_id, line_no);
CREATE INDEX ON public.orders (customer_id);

COMMENT ON TABLE public.order_items IS 'elt-cdc demo data v1';
