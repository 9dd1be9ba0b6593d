package io.aapns.mock;

public final class Main { public static void main(String[] a) {} }
