import { Migration } from '@mikro-orm/migrations';

export class Migration20261125103452_analytics extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create index "order_updated_at_idx" on "sales_order" ("updated_at", "id");`);

    this.addSql(`create index "payment_transaction_kind_at_idx" on "payment_transaction" ("kind", "at");`);

    this.addSql(`create index "purchase_order_receipt_received_idx" on "purchase_order_receipt" ("received_at");`);

    this.addSql(`create index "tracking_event_received_idx" on "tracking_event" ("received_at", "id");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "payment_transaction_kind_at_idx";`);

    this.addSql(`drop index "purchase_order_receipt_received_idx";`);

    this.addSql(`drop index "order_updated_at_idx";`);

    this.addSql(`drop index "tracking_event_received_idx";`);
  }

}
