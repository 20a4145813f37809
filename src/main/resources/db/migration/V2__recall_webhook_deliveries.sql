-- Recall.ai webhook deliveries already handled, by their Svix message id: a redelivery changes nothing.
CREATE TABLE recall_webhook_deliveries (
    svix_id     VARCHAR(128) PRIMARY KEY,
    event       VARCHAR(100) NOT NULL,
    received_at TIMESTAMPTZ  NOT NULL DEFAULT now()
);
CREATE INDEX recall_webhook_deliveries_received_idx ON recall_webhook_deliveries (received_at);
