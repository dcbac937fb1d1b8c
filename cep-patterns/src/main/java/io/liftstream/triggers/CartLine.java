package io.liftstream.triggers;

import java.util.Objects;

/** One product in an abandoned cart. A Flink POJO. */
public class CartLine {
    public String productId;
    public String sku;
    public int quantity;
    /** Unit price from the latest Product Added of this product; null when never sent. */
    public Double price;

    public CartLine() {}

    public CartLine(String productId, String sku, int quantity, Double price) {
        this.productId = productId;
        this.sku = sku;
        this.quantity = quantity;
        this.price = price;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof CartLine)) return false;
        CartLine that = (CartLine) o;
        return quantity == that.quantity && Objects.equals(productId, that.productId)
                && Objects.equals(sku, that.sku) && Objects.equals(price, that.price);
    }

    @Override
    public int hashCode() {
        return Objects.hash(productId, sku, quantity, price);
    }

    @Override
    public String toString() {
        return (productId != null ? productId : sku) + "x" + quantity + "@" + price;
    }
}
