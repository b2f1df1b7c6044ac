package dev.meshaware.benchmarks.clinic.vet;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.JoinTable;
import jakarta.persistence.ManyToMany;
import jakarta.persistence.OrderBy;
import java.util.LinkedHashSet;
import java.util.Set;

/** A vet and their specialties (many to many). */
@Entity
public class Vet {
  @Id private Integer id;
  private String firstName;
  private String lastName;

  @ManyToMany
  @JoinTable(name = "vet_specialty")
  @OrderBy("name")
  private Set<Specialty> specialties = new LinkedHashSet<>();

  public Integer getId() {
    return id;
  }

  public String getFirstName() {
    return firstName;
  }

  public String getLastName() {
    return lastName;
  }

  public Set<Specialty> getSpecialties() {
    return specialties;
  }
}
