package dev.inlet.socrata;

/**
 * One column of a Socrata dataset, as {@code /api/views/<id>.json} describes it.
 *
 * @param name the display name, e.g. {@code Created Date}
 * @param fieldName the API field name, e.g. {@code created_date}: the header of the CSV export
 * @param dataTypeName the Socrata type, e.g. {@code calendar_date}, {@code number}, {@code text}
 */
public record SocrataColumn(String name, String fieldName, String dataTypeName) {}
