-- Runs once, when the compose stack's Postgres volume is first initialised: one
-- database per service. (Each service would also create its own if it were missing.)
CREATE DATABASE orders;
CREATE DATABASE inventory;
