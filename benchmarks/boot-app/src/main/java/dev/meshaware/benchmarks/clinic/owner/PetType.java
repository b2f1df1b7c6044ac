package dev.meshaware.benchmarks.clinic.owner;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;

/** A kind of pet (cat, dog, ...). */
@Entity
public class PetType {
  @Id private Integer id;
  private String name;

  public Integer getId() {
    return id;
  }

  public String getName() {
    return name;
  }
}
